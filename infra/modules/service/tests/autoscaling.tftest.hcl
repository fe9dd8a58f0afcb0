# Plan-only checks of the scaling logic, with a mocked AWS provider: the
# emulator run leaves Application Auto Scaling out, so it is checked here.
mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "af-south-1" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name                = "mycandidate-test"
  image               = "123456789012.dkr.ecr.af-south-1.amazonaws.com/mycandidate-test:initial"
  ecr_repository_arn  = "arn:aws:ecr:af-south-1:123456789012:repository/mycandidate-test"
  cpu                 = 1024
  memory              = 2048
  web_concurrency     = 3
  secrets             = { DATABASE_PASSWORD = { arn = "arn:aws:secretsmanager:af-south-1:123456789012:secret:app-db" } }
  migrate_secrets     = { DATABASE_PASSWORD = { arn = "arn:aws:secretsmanager:af-south-1:123456789012:secret:rds-master", json_key = "password" } }
  secrets_kms_key_arn = "arn:aws:kms:af-south-1:123456789012:key/data"
  logs_kms_key_arn    = "arn:aws:kms:af-south-1:123456789012:key/logs"
  subnet_ids          = ["subnet-a", "subnet-b"]
  security_group_id   = "sg-app"
  target_group_arn    = "arn:aws:elasticloadbalancing:af-south-1:123456789012:targetgroup/blue/1"
  alb_arn_suffix      = "app/mycandidate-test/1"
  autoscaling = {
    min_capacity      = 3
    max_capacity      = 30
    cpu_target        = 60
    requests_per_task = 50
  }
}

run "election_day_raises_then_restores_the_floor" {
  command = plan

  variables {
    scheduled_floors = [{
      name         = "poll"
      start        = "2029-05-29T05:00:00"
      end          = "2029-05-31T00:00:00"
      min_capacity = 12
    }]
  }

  assert {
    condition     = aws_appautoscaling_scheduled_action.floor["poll-raise"].schedule == "at(2029-05-29T05:00:00)"
    error_message = "the raise must fire at the window's start"
  }

  assert {
    condition     = tonumber(aws_appautoscaling_scheduled_action.floor["poll-raise"].scalable_target_action[0].min_capacity) == 12
    error_message = "the raise sets the election-day floor"
  }

  assert {
    condition     = tonumber(aws_appautoscaling_scheduled_action.floor["poll-lower"].scalable_target_action[0].min_capacity) == 3
    error_message = "the lower action restores the normal floor"
  }

  assert {
    condition     = aws_appautoscaling_scheduled_action.floor["poll-raise"].timezone == "Africa/Johannesburg"
    error_message = "windows are in South African time"
  }
}

run "requests_target_is_per_task_per_minute" {
  command = plan

  assert {
    condition     = aws_appautoscaling_policy.requests[0].target_tracking_scaling_policy_configuration[0].target_value == 3000
    error_message = "50 requests/s per task is 3000 per minute"
  }

  assert {
    condition     = aws_appautoscaling_target.this[0].min_capacity == 0 && aws_appautoscaling_target.this[0].max_capacity == 0
    error_message = "the target is registered at 0..0: nothing scales up before the first release sets the normal range"
  }

  assert {
    condition     = length(aws_appautoscaling_scheduled_action.floor) == 0
    error_message = "no window, no scheduled action"
  }
}

run "emulator_leaves_autoscaling_out" {
  command = plan

  variables {
    create_autoscaling = false
    scheduled_floors   = [{ name = "poll", start = "2029-05-29T05:00:00", end = "2029-05-31T00:00:00", min_capacity = 12 }]
  }

  assert {
    condition     = length(aws_appautoscaling_target.this) == 0 && length(aws_appautoscaling_policy.cpu) == 0 && length(aws_appautoscaling_scheduled_action.floor) == 0
    error_message = "create_autoscaling = false must create no Application Auto Scaling resource"
  }
}

run "fresh_service_starts_with_no_task" {
  command = plan

  assert {
    condition     = aws_ecs_service.this.desired_count == 0
    error_message = "the service is created at zero tasks: the placeholder image is never pulled"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this["serve"].container_definitions)[0].image == var.image
    error_message = "the Terraform-managed revision names the placeholder image"
  }
}

run "migration_family_reads_the_master_password_by_json_key" {
  command = plan

  assert {
    condition     = aws_ecs_task_definition.this["migrate"].family == "mycandidate-test-migrate"
    error_message = "the migration family is <family>-migrate"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this["migrate"].container_definitions)[0].name == "app"
    error_message = "both families share the container name"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this["migrate"].container_definitions)[0].secrets[0].valueFrom == "arn:aws:secretsmanager:af-south-1:123456789012:secret:rds-master:password::"
    error_message = "DATABASE_PASSWORD of the migration comes from the managed secret's password key"
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.this["migrate"].container_definitions)[0].command == ["opsctl", "db", "upgrade"]
    error_message = "the migration family runs the schema upgrade"
  }

  assert {
    condition     = !can(jsondecode(aws_ecs_task_definition.this["migrate"].container_definitions)[0].portMappings)
    error_message = "the migration task serves nothing"
  }
}
