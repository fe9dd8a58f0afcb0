# ---------------------------------------------------------------- auth token
# ElastiCache has no write-only token argument, so the token is in state
# (state is KMS-encrypted in S3). It is generated once per token version.
data "aws_secretsmanager_random_password" "token" {
  password_length     = 64
  exclude_punctuation = true
}

resource "terraform_data" "auth_token" {
  input            = data.aws_secretsmanager_random_password.token.random_password
  triggers_replace = [var.auth_token_version]

  lifecycle {
    ignore_changes = [input]
  }
}

resource "aws_secretsmanager_secret" "url" {
  #checkov:skip=CKV2_AWS_57:Rotation is an auth_token_version bump applied by Terraform, which rotates the token on the cluster and in this secret together.
  name        = "${var.name}/redis-url"
  description = "REDIS_URL of the app (TLS, auth token)"
  kms_key_id  = var.kms_key_arn
}

resource "aws_secretsmanager_secret_version" "url" {
  secret_id                = aws_secretsmanager_secret.url.id
  secret_string_wo_version = var.auth_token_version
  secret_string_wo = format(
    "rediss://:%s@%s:%d/0",
    terraform_data.auth_token.output,
    try(aws_elasticache_replication_group.this[0].primary_endpoint_address, "unavailable.invalid"),
    6379,
  )
}

# ---------------------------------------------------------------- cluster
resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_cloudwatch_log_group" "slow" {
  name              = "/${var.name}/redis-slow-log"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV2_AWS_50:Failover and Multi-AZ follow node_count: on in prod (2 nodes), off in staging, whose single node has nothing to fail over to.
  count = var.create_replication_group ? 1 : 0

  replication_group_id = var.name
  description          = "Cache and rate-limit store of ${var.name}"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  num_cache_clusters   = var.node_count
  port                 = 6379

  automatic_failover_enabled = var.node_count > 1
  multi_az_enabled           = var.node_count > 1
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [var.security_group_id]

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = terraform_data.auth_token.output
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = 3
  snapshot_window            = "00:00-01:00"
  maintenance_window         = "sun:03:30-sun:04:30"
  auto_minor_version_upgrade = true
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.slow.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }
}
