# Staging: the same shape as prod, smaller. Sizing reasons: docs/sizing.md.
module "stack" {
  source = "../../modules/stack"

  env      = "staging"
  emulator = var.emulator

  vpc_cidr            = "10.20.0.0/16"
  az_count            = 2
  single_nat_gateway  = true
  domain_name         = "staging.mycandidate.org.za"
  deletion_protection = true

  task_cpu        = 512
  task_memory     = 1024
  web_concurrency = 2
  desired_count   = 1
  autoscaling = {
    min_capacity      = 1
    max_capacity      = 4
    cpu_target        = 60
    requests_per_task = 25
  }
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  db_instance_class        = "db.t4g.micro"
  db_multi_az              = false
  db_backup_retention_days = 7
  cache_node_type          = "cache.t4g.micro"
  cache_node_count         = 1

  github_environments = ["staging"]
  state_bucket        = "mycandidate-terraform-state"
  state_key           = "envs/staging/terraform.tfstate"
}
