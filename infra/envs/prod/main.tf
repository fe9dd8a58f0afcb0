# Production: three zones, a NAT gateway and a Redis node per failure domain,
# Multi-AZ database, canary releases. Sizing reasons: docs/sizing.md.
locals {
  # Each environment has an AWS account of its own; a plan run with the other
  # account's credentials stops here. Replace with your account's id (also in
  # backend.tf's bucket name, which infra/bootstrap prints).
  account_id = "222222222222"
  region     = "af-south-1" # Cape Town: voter data stays in South Africa
  tags = {
    Project     = "mycandidate"
    Environment = "prod"
    ManagedBy   = "terraform"
    Source      = "infra/envs/prod"
  }
}

module "stack" {
  source = "../../modules/stack"

  env = "prod"

  vpc_cidr            = "10.30.0.0/16"
  az_count            = 3
  single_nat_gateway  = false
  domain_name         = "mycandidate.org.za"
  deletion_protection = true

  task_cpu        = 1024
  task_memory     = 2048
  web_concurrency = 3
  autoscaling = {
    min_capacity      = 3
    max_capacity      = 30
    cpu_target        = 60
    requests_per_task = 50
  }
  # Election days: add a window once the IEC proclaims the date, and apply a
  # week ahead, e.g.
  #   { name = "lge-2026", start = "2026-11-04T05:00:00", end = "2026-11-06T00:00:00", min_capacity = 12 }
  # Times are Africa/Johannesburg. docs/sizing.md explains the floor of 12.
  scheduled_floors = []

  deployment_config_name = "CodeDeployDefault.ECSCanary10Percent5Minutes"

  db_instance_class        = "db.m6g.large"
  db_multi_az              = true
  db_allocated_storage_gb  = 50
  db_backup_retention_days = 14
  cache_node_type          = "cache.t4g.small"
  cache_node_count         = 2

  github_environment = "production"
  # The image comes from staging's repository (its own account, envs/staging).
  image_pull_role_arns             = []
  promotion_source_repository_arns = ["arn:aws:ecr:af-south-1:111111111111:repository/mycandidate-staging"]
}
