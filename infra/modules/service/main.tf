data "aws_region" "current" {}

locals {
  cluster_name = var.name
  service_name = var.name
}

# ---------------------------------------------------------------- logs
resource "aws_cloudwatch_log_group" "app" {
  name              = "/${var.name}/app"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_cloudwatch_log_group" "exec" {
  name              = "/${var.name}/ecs-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# ---------------------------------------------------------------- cluster
resource "aws_ecs_cluster" "this" {
  name = local.cluster_name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  # ECS Exec stays off on the service; if an operator enables it, sessions are
  # encrypted and audited.
  configuration {
    execute_command_configuration {
      kms_key_id = var.logs_kms_key_arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }
}

# ---------------------------------------------------------------- secrets
ephemeral "aws_secretsmanager_random_password" "secret_key" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "secret_key" {
  #checkov:skip=CKV2_AWS_57:Flask's SECRET_KEY signs sessions; rotating it logs every user out, so it changes only by bumping secret_string_wo_version.
  name        = "${var.name}/secret-key"
  description = "SECRET_KEY of the app (Flask session signing)"
  kms_key_id  = var.secrets_kms_key_arn
}

resource "aws_secretsmanager_secret_version" "secret_key" {
  secret_id                = aws_secretsmanager_secret.secret_key.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.secret_key.random_password
  secret_string_wo_version = 1
}

locals {
  secret_arns = merge(var.secret_arns, { SECRET_KEY = aws_secretsmanager_secret.secret_key.arn })
}
