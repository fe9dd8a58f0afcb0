# ---------------------------------------------------------------- task definitions
# opsctl renders every release from these Terraform-managed revisions and
# changes only the image (and MYCANDIDATE_RELEASE), so cpu, memory,
# environment and secret ARNs set here reach the next release. The image
# named here is a placeholder that never runs: the service starts at zero
# tasks and the first release brings the first real image.
locals {
  container = {
    name                   = var.container_name
    image                  = var.image
    essential              = true
    user                   = var.container_user
    readonlyRootFilesystem = true
    privileged             = false
    mountPoints = [
      { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
    ]
    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }
  }

  # Per family: plain variables, then secrets (a JSON key picks one field of a
  # JSON secret, such as the RDS-managed master secret's password).
  environment = {
    serve   = merge({ WEB_CONCURRENCY = tostring(var.web_concurrency) }, var.environment)
    migrate = var.migrate_environment
  }
  secrets = { serve = var.secrets, migrate = var.migrate_secrets }
  runtime = {
    for family in keys(local.environment) : family => {
      environment = [for k, v in local.environment[family] : { name = k, value = v }]
      secrets = [
        for k, s in local.secrets[family] :
        { name = k, valueFrom = s.json_key == null ? s.arn : "${s.arn}:${s.json_key}::" }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = family
        }
      }
    }
  }

  families = {
    serve = {
      family = var.name
      container = jsonencode([merge(local.container, local.runtime.serve, {
        portMappings = [
          { containerPort = var.container_port, protocol = "tcp" },
        ]
        # Liveness only: /healthz does not touch the database, so a database
        # outage does not make ECS kill every task.
        healthCheck = {
          command = [
            "CMD", "python", "-c",
            "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${var.container_port}/healthz', timeout=3)",
          ]
          interval    = 15
          timeout     = 5
          retries     = 3
          startPeriod = 30
        }
      })])
    }
    # The one-off schema upgrade opsctl runs from the new image before a release.
    migrate = {
      family    = "${var.name}-migrate"
      container = jsonencode([merge(local.container, local.runtime.migrate, { command = var.migrate_command })])
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each = local.families

  family                   = each.value.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = each.value.container

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The root filesystem is read-only; /tmp (gunicorn heartbeat files) lives on
  # task ephemeral storage.
  volume {
    name = "tmp"
  }
}

# ---------------------------------------------------------------- service
# Releases belong to opsctl deploy through CodeDeploy: it registers task
# definitions and swaps target groups, so Terraform ignores those fields. The
# service is created with no task (nothing to pull before the first release);
# the first release raises the count, then autoscaling owns it.
resource "aws_ecs_service" "this" {
  name                              = local.service_name
  cluster                           = aws_ecs_cluster.this.arn
  task_definition                   = aws_ecs_task_definition.this["serve"].arn
  desired_count                     = 0
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 60
  enable_ecs_managed_tags           = true
  propagate_tags                    = "SERVICE"

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.container_name
    container_port   = var.container_port
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  lifecycle {
    ignore_changes = [task_definition, load_balancer, desired_count]
  }
}

moved {
  from = aws_ecs_task_definition.this
  to   = aws_ecs_task_definition.this["serve"]
}
