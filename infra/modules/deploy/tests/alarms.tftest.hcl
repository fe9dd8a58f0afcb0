# Rollback alarms per target group, as rates and percentiles over a minimum
# request count; planned against a mocked AWS provider.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name                      = "mycandidate-prod"
  cluster_name              = "mycandidate-prod"
  service_name              = "mycandidate-prod"
  target_group_names        = { blue = "mycandidate-prod-blue", green = "mycandidate-prod-green" }
  target_group_arn_suffixes = { blue = "targetgroup/mycandidate-prod-blue/1", green = "targetgroup/mycandidate-prod-green/2" }
  alb_arn_suffix            = "app/mycandidate-prod/3"
  prod_listener_arn         = "arn:aws:elasticloadbalancing:af-south-1:123456789012:listener/app/mycandidate-prod/3/4"
  test_listener_arn         = "arn:aws:elasticloadbalancing:af-south-1:123456789012:listener/app/mycandidate-prod/3/5"
  alarm_topic_arn           = "arn:aws:sns:af-south-1:123456789012:mycandidate-prod-alarms"
}

run "each_target_group_has_its_own_rate_and_p99_alarm" {
  command = plan

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.request_gated) == ["p99-latency-blue", "p99-latency-green", "target-5xx-rate-blue", "target-5xx-rate-green"]
    error_message = "blue and green are judged separately"
  }

  assert {
    condition = alltrue([
      for key, alarm in aws_cloudwatch_metric_alarm.request_gated :
      toset(flatten([for q in alarm.metric_query : [for m in q.metric : m.dimensions.TargetGroup]])) == toset([var.target_group_arn_suffixes[endswith(key, "blue") ? "blue" : "green"]])
    ])
    error_message = "the metrics are the target group's, not the whole ALB's"
  }

  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.request_gated["target-5xx-rate-green"].metric_query : q.expression if q.return_data]) == "IF(requests >= 20, 100 * FILL(m, 0) / requests, 0)"
    error_message = "the 5xx alarm is a percentage of requests, judged only with 20+ requests a minute"
  }

  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.request_gated["p99-latency-green"].metric_query : q.expression if q.return_data]) == "IF(requests >= 20, m, 0)"
    error_message = "one slow cold request cannot fail a release"
  }

  assert {
    condition     = one([for q in aws_cloudwatch_metric_alarm.request_gated["p99-latency-green"].metric_query : q.metric[0].stat if q.id == "m"]) == "p99" && one([for q in aws_cloudwatch_metric_alarm.request_gated["p99-latency-green"].metric_query : q.metric[0].metric_name if q.id == "m"]) == "TargetResponseTime"
    error_message = "the latency alarm watches p99"
  }
}

run "the_deployment_group_rolls_back_on_them" {
  command = plan

  assert {
    condition = toset(aws_codedeploy_deployment_group.this.alarm_configuration[0].alarms) == toset([
      "mycandidate-prod-target-5xx-rate-blue",
      "mycandidate-prod-target-5xx-rate-green",
      "mycandidate-prod-p99-latency-blue",
      "mycandidate-prod-p99-latency-green",
      "mycandidate-prod-unhealthy-hosts-blue",
      "mycandidate-prod-unhealthy-hosts-green",
    ])
    error_message = "the deployment group stops on exactly the per-target-group alarms"
  }
}
