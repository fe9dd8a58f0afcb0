locals {
  scaling_resource_id = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this.name}"
  autoscaling_count   = var.create_autoscaling ? 1 : 0
}

# Registered at 0..0: RegisterScalableTarget moves the current count into
# [min, max], and target tracking scales on ALB requests even with no task, so
# any wider range would start tasks of an image that was never pushed. The
# first release registers autoscaling.min_capacity..max_capacity (published in
# the deploy settings). Terraform never resets the range again, so neither an
# apply nor a release undoes a scheduled election-day floor.
resource "aws_appautoscaling_target" "this" {
  count = local.autoscaling_count

  service_namespace  = "ecs"
  resource_id        = local.scaling_resource_id
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 0
  max_capacity       = 0

  lifecycle {
    ignore_changes = [min_capacity, max_capacity]
  }
}

resource "aws_appautoscaling_policy" "cpu" {
  count = local.autoscaling_count

  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Requests per task over the whole ALB rather than ALBRequestCountPerTarget:
# that metric names one target group, and blue/green deploys alternate them.
resource "aws_appautoscaling_policy" "requests" {
  count = local.autoscaling_count

  name               = "${var.name}-requests-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.requests_per_task * 60 # per minute
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      metrics {
        id          = "requests"
        return_data = false

        metric_stat {
          stat = "Sum"

          metric {
            namespace   = "AWS/ApplicationELB"
            metric_name = "RequestCount"

            dimensions {
              name  = "LoadBalancer"
              value = var.alb_arn_suffix
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"

            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.this.name
            }

            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.this.name
            }
          }
        }
      }

      metrics {
        id          = "per_task"
        expression  = "requests / IF(tasks < 1, 1, tasks)"
        label       = "Requests per task per minute"
        return_data = true
      }
    }
  }
}

# ---------------------------------------------------------------- election days
# Raise the floor before the expected peak instead of waiting for target
# tracking to catch up with it, then put it back.
locals {
  floor_actions = merge([
    for w in var.scheduled_floors : {
      "${w.name}-raise" = { at = w.start, min = w.min_capacity }
      "${w.name}-lower" = { at = w.end, min = var.autoscaling.min_capacity }
    }
  ]...)
}

resource "aws_appautoscaling_scheduled_action" "floor" {
  for_each = var.create_autoscaling ? local.floor_actions : {}

  name               = "${var.name}-${each.key}"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension
  schedule           = "at(${each.value.at})"
  timezone           = "Africa/Johannesburg"

  scalable_target_action {
    min_capacity = each.value.min
    max_capacity = max(each.value.min, var.autoscaling.max_capacity)
  }
}
