# Staging: the same shape as prod, smaller. Sizing reasons: docs/sizing.md.
locals {
  # Each environment has an AWS account of its own; a plan run with the other
  # account's credentials stops here. Replace with your account's id (also in
  # backend.tf's bucket name, which infra/bootstrap prints).
  account_id = "111111111111"
  region     = "af-south-1" # Cape Town: voter data stays in South Africa
  tags = {
    Project     = "mycandidate"
    Environment = "staging"
    ManagedBy   = "terraform"
    Source      = "infra/envs/staging"
  }
}

module "stack" {
  source = "../../modules/stack"

  env = "staging"

  vpc_cidr            = "10.20.0.0/16"
  az_count            = 2
  single_nat_gateway  = true
  domain_name         = "staging.mycandidate.org.za"
  deletion_protection = true

  task_cpu        = 512
  task_memory     = 1024
  web_concurrency = 2
  autoscaling = {
    min_capacity      = 1
    max_capacity      = 4
    cpu_target        = 60
    requests_per_task = 25
  }
  # Staging needs no election-day floor.
  scheduled_floors = []

  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  db_instance_class        = "db.t4g.micro"
  db_multi_az              = false
  db_allocated_storage_gb  = 20
  db_backup_retention_days = 7
  cache_node_type          = "cache.t4g.micro"
  cache_node_count         = 1

  github_environment = "staging"
  # Prod (its own account, envs/prod) promotes the exact image staging tested.
  image_pull_role_arns             = ["arn:aws:iam::222222222222:role/mycandidate-prod-github-deploy"]
  promotion_source_repository_arns = []
}
