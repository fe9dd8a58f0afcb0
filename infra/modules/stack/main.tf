# One environment: composed from the modules, sized only by variables, so
# staging and prod differ in values and never in shape.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name           = "${var.project}-${var.env}"
  container_name = "app"
  container_port = 8000
  test_port      = 8443
  # Never pulled: the service starts at zero tasks and each release names its image.
  placeholder_image = "${module.ecr.repository_url}:placeholder-never-pulled"
  app_role          = "${var.project}_app"
}

# ---------------------------------------------------------------- keys
module "logs_key" {
  source = "../kms_key"

  name            = "${local.name}-logs"
  description     = "CloudWatch log groups of ${local.name}"
  cloudwatch_logs = true
}

module "data_key" {
  source = "../kms_key"

  name               = "${local.name}-data"
  description        = "Database, cache, secrets, images and alarm topic of ${local.name}"
  service_principals = ["cloudwatch.amazonaws.com"]
}

# ---------------------------------------------------------------- network
module "network" {
  source = "../network"

  name               = local.name
  cidr_block         = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
  ipv6               = var.dual_stack
  logs_kms_key_arn   = module.logs_key.arn
  log_retention_days = var.log_retention_days
}

module "security_groups" {
  source = "../security_groups"

  name               = local.name
  vpc_id             = module.network.vpc_id
  container_port     = local.container_port
  test_listener_port = local.test_port
  ipv6               = module.network.ipv6
  # The smoke test runs in the app subnets and reaches the internet-facing ALB
  # from the NAT gateways' addresses.
  test_listener_sources = merge(
    { for i, ip in module.network.nat_public_ips : "NAT gateway ${i + 1}" => "${ip}/32" },
    { for cidr in var.test_listener_cidrs : cidr => cidr },
  )
}

# ---------------------------------------------------------------- edge
module "edge" {
  source = "../edge"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  public_subnet_ids     = module.network.public_subnet_ids
  security_group_id     = module.security_groups.alb_id
  domain_name           = var.domain_name
  route53_zone          = var.route53_zone
  dual_stack            = module.network.ipv6
  container_port        = local.container_port
  health_check_path     = "/readyz"
  test_listener_port    = local.test_port
  deletion_protection   = var.deletion_protection
  waf_rate_limit        = var.waf_rate_limit
  waf_rate_limit_action = var.waf_rate_limit_action
  logs_kms_key_arn      = module.logs_key.arn
  log_retention_days    = var.log_retention_days
}

# ---------------------------------------------------------------- data
module "database" {
  source = "../database"

  name                  = local.name
  subnet_ids            = module.network.isolated_subnet_ids
  security_group_id     = module.security_groups.database_id
  kms_key_arn           = module.data_key.arn
  instance_class        = var.db_instance_class
  multi_az              = var.db_multi_az
  allocated_storage_gb  = var.db_allocated_storage_gb
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.deletion_protection
}

module "cache" {
  source = "../cache"

  name                     = local.name
  subnet_ids               = module.network.isolated_subnet_ids
  security_group_id        = module.security_groups.cache_id
  kms_key_arn              = module.data_key.arn
  logs_kms_key_arn         = module.logs_key.arn
  log_retention_days       = var.log_retention_days
  node_type                = var.cache_node_type
  node_count               = var.cache_node_count
  create_replication_group = var.create_replication_group
}

# ---------------------------------------------------------------- service
module "ecr" {
  source = "../ecr"

  name           = local.name
  kms_key_arn    = module.data_key.arn
  pull_role_arns = var.image_pull_role_arns
}

# The app's own database role (created by the migration task, read-only
# grants); its password is generated here and handed to both families.
module "app_db_password" {
  source = "../generated_secret"

  name        = "${local.name}/database-app-password"
  description = "Password of the ${local.app_role} database role (DATABASE_PASSWORD of the app)"
  kms_key_arn = module.data_key.arn
}

module "secret_key" {
  source = "../generated_secret"

  name        = "${local.name}/secret-key"
  description = "SECRET_KEY of the app (Flask session signing)"
  kms_key_arn = module.data_key.arn
}

locals {
  database_url = {
    for user in [local.app_role, module.database.master_username] : user => format(
      # The image carries AWS's RDS CAs there (docker/rds-ca/README.md).
      "postgresql://%s@%s:%d/%s?sslmode=verify-full&sslrootcert=/opt/rds-ca/global-bundle.pem",
      user, module.database.address, module.database.port, module.database.database_name,
    )
  }
}

module "service" {
  source = "../service"

  name                = local.name
  image               = local.placeholder_image
  ecr_repository_arn  = module.ecr.repository_arn
  container_name      = local.container_name
  container_port      = local.container_port
  cpu                 = var.task_cpu
  memory              = var.task_memory
  web_concurrency     = var.web_concurrency
  secrets_kms_key_arn = module.data_key.arn
  logs_kms_key_arn    = module.logs_key.arn
  log_retention_days  = var.log_retention_days
  subnet_ids          = module.network.private_subnet_ids
  security_group_id   = module.security_groups.app_id
  target_group_arn    = module.edge.target_group_arns["blue"]
  autoscaling         = var.autoscaling
  scheduled_floors    = var.scheduled_floors
  alb_arn_suffix      = module.edge.alb_arn_suffix
  create_autoscaling  = var.create_autoscaling

  # Serving: the app's own role. Gunicorn trusts X-Forwarded-* only from the
  # ALB's subnets (https links behind TLS offload).
  environment = {
    DATABASE_URL        = local.database_url[local.app_role]
    FORWARDED_ALLOW_IPS = join(",", module.network.public_cidr_blocks)
  }
  secrets = {
    DATABASE_PASSWORD = { arn = module.app_db_password.arn }
    REDIS_URL         = { arn = module.cache.url_secret_arn }
    SECRET_KEY        = { arn = module.secret_key.arn }
  }

  # Migration: the master user (RDS-managed password), which creates or
  # updates the app's role on every run.
  migrate_environment = {
    DATABASE_URL         = local.database_url[module.database.master_username]
    MYCANDIDATE_APP_ROLE = local.app_role
  }
  migrate_secrets = {
    DATABASE_PASSWORD             = { arn = module.database.master_secret_arn, json_key = "password" }
    MYCANDIDATE_APP_ROLE_PASSWORD = { arn = module.app_db_password.arn }
  }
}

# ---------------------------------------------------------------- releases
module "alerts" {
  source = "../alerts"

  name         = local.name
  kms_key_arn  = module.data_key.arn
  alarm_emails = var.alarm_emails
}

module "deploy" {
  source = "../deploy"

  name                      = local.name
  cluster_name              = module.service.cluster_name
  service_name              = module.service.service_name
  target_group_names        = module.edge.target_group_names
  target_group_arn_suffixes = module.edge.target_group_arn_suffixes
  alb_arn_suffix            = module.edge.alb_arn_suffix
  prod_listener_arn         = module.edge.prod_listener_arn
  test_listener_arn         = module.edge.test_listener_arn
  deployment_config_name    = var.deployment_config_name
  alarm_topic_arn           = module.alerts.alarm_topic_arn
  max_5xx_percent           = var.max_5xx_percent
  max_p99_latency_seconds   = var.max_p99_latency_seconds
  min_requests_per_minute   = var.min_requests_per_minute
}

module "github_oidc" {
  source = "../github_oidc"

  name                  = local.name
  repository            = var.github_repository
  environment           = var.github_environment
  create_provider       = var.create_github_oidc_provider
  max_session_seconds   = var.deploy_session_seconds
  ecr_repository_arn    = module.ecr.repository_arn
  cluster_name          = module.service.cluster_name
  service_name          = module.service.service_name
  task_families         = module.service.task_definition_families
  pass_role_arns        = [module.service.execution_role_arn, module.service.task_role_arn]
  codedeploy_app_name   = module.deploy.app_name
  codedeploy_group_name = module.deploy.deployment_group_name
  log_group_arn         = module.service.log_group_arn
  scalable_target_arn   = module.service.scalable_target_arn
  deploy_parameter_arn  = aws_ssm_parameter.deploy.arn

  promotion_source_repository_arns = var.promotion_source_repository_arns
}

module "monitoring" {
  source = "../monitoring"

  name                       = local.name
  alarm_topic_arn            = module.alerts.alarm_topic_arn
  alb_arn_suffix             = module.edge.alb_arn_suffix
  cluster_name               = module.service.cluster_name
  service_name               = module.service.service_name
  db_identifier              = module.database.identifier
  cache_replication_group_id = module.cache.replication_group_id
  waf_acl_name               = module.edge.waf_acl_name
  deploy_alarm_arns          = module.deploy.alarm_arns
}

# ---------------------------------------------------------------- deploy settings
# Everything opsctl needs to release, in one object: the stack's `deploy`
# output, and this parameter, which the deploy role may read (it never reads
# the state, which holds the Redis token).
locals {
  deploy = {
    region                      = data.aws_region.current.name
    account_id                  = data.aws_caller_identity.current.account_id
    cluster_name                = module.service.cluster_name
    service_name                = module.service.service_name
    task_family                 = module.service.task_family
    task_definition_arn         = module.service.task_definition_arn
    migrate_task_definition_arn = module.service.migrate_task_definition_arn
    container_name              = module.service.container_name
    container_port              = module.service.container_port
    codedeploy_app_name         = module.deploy.app_name
    codedeploy_group_name       = module.deploy.deployment_group_name
    blue_target_group_name      = module.edge.target_group_names["blue"]
    green_target_group_name     = module.edge.target_group_names["green"]
    prod_listener_arn           = module.edge.prod_listener_arn
    test_listener_arn           = module.edge.test_listener_arn
    test_listener_url           = module.edge.test_listener_url
    alb_dns_name                = module.edge.alb_dns_name
    ecr_repository_url          = module.ecr.repository_url
    log_group_name              = module.service.log_group_name
    private_subnet_ids          = module.network.private_subnet_ids
    app_security_group_id       = module.security_groups.app_id
    min_capacity                = var.autoscaling.min_capacity
    max_capacity                = var.autoscaling.max_capacity
  }
}

resource "aws_ssm_parameter" "deploy" {
  #checkov:skip=CKV2_AWS_34:Names, ARNs and subnet IDs only, no secret; a String lets the deploy role read it without kms:Decrypt.
  name        = "/${var.project}/${var.env}/deploy"
  description = "Deploy settings of ${local.name} (JSON), read by opsctl"
  type        = "String"
  tier        = "Standard"
  value       = jsonencode(local.deploy)
}
