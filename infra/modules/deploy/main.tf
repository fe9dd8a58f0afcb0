# ---------------------------------------------------------------- alarms
# Any of these firing during a release stops it and rolls back. They watch
# each target group (blue and green) on its own, as rates and percentiles over
# a minimum number of requests: a canary's errors are not diluted by the other
# group's traffic, and one slow or failed cold request cannot fail a release.
locals {
  target_group_metrics = {
    for colour, suffix in var.target_group_arn_suffixes : colour => {
      LoadBalancer = var.alb_arn_suffix
      TargetGroup  = suffix
    }
  }

  # Judged only in minutes with enough requests to the group.
  gate = "requests >= ${var.min_requests_per_minute}"
  request_gated = {
    target-5xx-rate = {
      what       = "more than ${var.max_5xx_percent}% of requests answered 5xx"
      metric     = "HTTPCode_Target_5XX_Count"
      stat       = "Sum"
      expression = "IF(${local.gate}, 100 * FILL(m, 0) / requests, 0)"
      label      = "5xx % of requests"
      threshold  = var.max_5xx_percent
      periods    = 2
    }
    p99-latency = {
      what       = "p99 response time above ${var.max_p99_latency_seconds} s"
      metric     = "TargetResponseTime"
      stat       = "p99"
      expression = "IF(${local.gate}, m, 0)"
      label      = "p99 seconds"
      threshold  = var.max_p99_latency_seconds
      periods    = 3
    }
  }
  request_gated_alarms = {
    for pair in setproduct(keys(local.request_gated), keys(local.target_group_metrics)) :
    "${pair[0]}-${pair[1]}" => merge(local.request_gated[pair[0]], { colour = pair[1] })
  }
}

resource "aws_cloudwatch_metric_alarm" "request_gated" {
  for_each = local.request_gated_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "${each.value.colour} target group: ${each.value.what} (minutes with ${var.min_requests_per_minute}+ requests); rolls back a release in progress"
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = 2
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]

  metric_query {
    id          = "m"
    return_data = false

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = each.value.metric
      dimensions  = local.target_group_metrics[each.value.colour]
      stat        = each.value.stat
      period      = 60
    }
  }

  metric_query {
    id          = "requests"
    return_data = false

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = local.target_group_metrics[each.value.colour]
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id          = "alarm"
    expression  = each.value.expression
    label       = each.value.label
    return_data = true
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  for_each = local.target_group_metrics

  alarm_name          = "${var.name}-unhealthy-hosts-${each.key}"
  alarm_description   = "Targets failing /readyz in the ${each.key} group: rolls back a release in progress"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.target_group_metrics[each.key]
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

locals {
  rollback_alarms = concat(
    values(aws_cloudwatch_metric_alarm.request_gated),
    values(aws_cloudwatch_metric_alarm.unhealthy_hosts),
  )
}

# ---------------------------------------------------------------- CodeDeploy
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name               = "${var.name}-codedeploy"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
}

resource "aws_codedeploy_app" "this" {
  name             = var.name
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = var.name
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = var.deployment_config_name

  deployment_style {
    deployment_type   = "BLUE_GREEN"
    deployment_option = "WITH_TRAFFIC_CONTROL"
  }

  blue_green_deployment_config {
    # Green waits on the test listener until `opsctl deploy` has smoke-tested it and
    # continues the deployment; nobody continuing within the window stops it.
    deployment_ready_option {
      action_on_timeout    = "STOP_DEPLOYMENT"
      wait_time_in_minutes = var.ready_wait_minutes
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = var.termination_wait_minutes
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
  }

  alarm_configuration {
    enabled = true
    alarms  = [for a in local.rollback_alarms : a.alarm_name]
  }

  ecs_service {
    cluster_name = var.cluster_name
    service_name = var.service_name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [var.prod_listener_arn]
      }

      test_traffic_route {
        listener_arns = [var.test_listener_arn]
      }

      target_group {
        name = var.target_group_names["blue"]
      }

      target_group {
        name = var.target_group_names["green"]
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.codedeploy]
}
