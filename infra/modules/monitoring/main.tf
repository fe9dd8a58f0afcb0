data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name
  alb    = ["AWS/ApplicationELB", "LoadBalancer", var.alb_arn_suffix]
  ecs    = ["ClusterName", var.cluster_name, "ServiceName", var.service_name]
  rds    = ["AWS/RDS", "DBInstanceIdentifier", var.db_identifier]
  redis  = var.cache_replication_group_id == null ? [] : [var.cache_replication_group_id]
}

# ---------------------------------------------------------------- capacity alarms
resource "aws_cloudwatch_metric_alarm" "service_cpu" {
  alarm_name          = "${var.name}-service-cpu"
  alarm_description   = "Tasks run hot although autoscaling should have added more: check max_capacity"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = var.service_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 85
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.name}-db-cpu"
  alarm_description   = "Database CPU high"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = var.db_identifier }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "db_storage" {
  alarm_name          = "${var.name}-db-free-storage"
  alarm_description   = "Database free storage under 2 GiB"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = var.db_identifier }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 2 * 1024 * 1024 * 1024
  comparison_operator = "LessThanThreshold"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "cache_memory" {
  for_each = toset(local.redis)

  alarm_name          = "${var.name}-cache-memory"
  alarm_description   = "Redis memory above 80%: evictions will follow"
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { ReplicationGroupId = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

# ---------------------------------------------------------------- dashboard
resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name

  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title = "Requests and errors", region = local.region, stat = "Sum", period = 60
          metrics = [
            concat(local.alb, ["RequestCount"]),
            concat(local.alb, ["HTTPCode_Target_5XX_Count"]),
            concat(local.alb, ["HTTPCode_Target_4XX_Count"]),
          ]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title = "Response time", region = local.region, period = 60
          metrics = [
            concat(local.alb, ["TargetResponseTime", { stat = "p50" }]),
            concat(local.alb, ["TargetResponseTime", { stat = "p99" }]),
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title = "Service", region = local.region, stat = "Average", period = 60
          metrics = [
            concat(["AWS/ECS", "CPUUtilization"], local.ecs),
            concat(["AWS/ECS", "MemoryUtilization"], local.ecs),
            concat(["ECS/ContainerInsights", "RunningTaskCount"], local.ecs, [{ yAxis = "right" }]),
          ]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title = "Database", region = local.region, stat = "Average", period = 60
          metrics = [
            [local.rds[0], "CPUUtilization", local.rds[1], local.rds[2]],
            [local.rds[0], "DatabaseConnections", local.rds[1], local.rds[2], { yAxis = "right" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title = "WAF", region = local.region, stat = "Sum", period = 300
          metrics = [
            ["AWS/WAFV2", "BlockedRequests", "WebACL", var.waf_acl_name, "Region", local.region, "Rule", "ALL"],
            ["AWS/WAFV2", "AllowedRequests", "WebACL", var.waf_acl_name, "Region", local.region, "Rule", "ALL"],
          ]
        }
      },
      {
        type = "alarm", x = 12, y = 12, width = 12, height = 6
        properties = {
          title = "Alarms"
          alarms = concat(
            var.deploy_alarm_arns,
            [aws_cloudwatch_metric_alarm.service_cpu.arn, aws_cloudwatch_metric_alarm.db_cpu.arn, aws_cloudwatch_metric_alarm.db_storage.arn],
          )
        }
      },
    ]
  })
}
