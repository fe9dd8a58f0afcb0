# One environment: composed from the modules, sized only by variables, so
# staging and prod differ in values and never in shape.
locals {
  name           = "${var.project}-${var.env}"
  container_name = "app"
  container_port = 8000
  test_port      = 8443
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
  logs_kms_key_arn   = module.logs_key.arn
  log_retention_days = var.log_retention_days
}

module "security_groups" {
  source = "../security_groups"

  name                = local.name
  vpc_id              = module.network.vpc_id
  container_port      = local.container_port
  test_listener_port  = local.test_port
  test_listener_cidrs = var.test_listener_cidrs
}

# ---------------------------------------------------------------- edge
module "edge" {
  source = "../edge"

  name                = local.name
  vpc_id              = module.network.vpc_id
  public_subnet_ids   = module.network.public_subnet_ids
  security_group_id   = module.security_groups.alb_id
  domain_name         = var.domain_name
  route53_zone_id     = var.route53_zone_id
  container_port      = local.container_port
  health_check_path   = "/readyz"
  test_listener_port  = local.test_port
  deletion_protection = var.deletion_protection
  waf_rate_limit      = var.waf_rate_limit
  logs_kms_key_arn    = module.logs_key.arn
  log_retention_days  = var.log_retention_days
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
  create_replication_group = !var.emulator
}

# ---------------------------------------------------------------- service
module "ecr" {
  source = "../ecr"

  name        = local.name
  kms_key_arn = module.data_key.arn
}

module "secret_key" {
  source = "../generated_secret"

  name        = "${local.name}/secret-key"
  description = "SECRET_KEY of the app (Flask session signing)"
  kms_key_arn = module.data_key.arn
}

module "service" {
  source = "../service"

  name                = local.name
  image               = "${module.ecr.repository_url}:${var.image_tag}"
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
  desired_count       = var.desired_count
  autoscaling         = var.autoscaling
  scheduled_floors    = var.scheduled_floors
  alb_arn_suffix      = module.edge.alb_arn_suffix
  create_autoscaling  = !var.emulator

  # Gunicorn trusts X-Forwarded-* only from the ALB's subnets (https links behind TLS offload).
  environment = { FORWARDED_ALLOW_IPS = join(",", module.network.public_cidr_blocks) }

  secret_arns = {
    DATABASE_URL = module.database.url_secret_arn
    REDIS_URL    = module.cache.url_secret_arn
    SECRET_KEY   = module.secret_key.arn
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
}

module "github_oidc" {
  source = "../github_oidc"

  name                  = local.name
  repository            = var.github_repository
  environments          = var.github_environments
  create_provider       = var.create_github_oidc_provider
  ecr_repository_arn    = module.ecr.repository_arn
  cluster_name          = module.service.cluster_name
  service_name          = module.service.service_name
  task_family           = module.service.task_family
  pass_role_arns        = [module.service.execution_role_arn, module.service.task_role_arn]
  codedeploy_app_name   = module.deploy.app_name
  codedeploy_group_name = module.deploy.deployment_group_name
  log_group_arn         = module.service.log_group_arn
  state_bucket          = var.state_bucket
  state_key             = var.state_key
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
