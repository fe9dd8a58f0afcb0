# ---------------------------------------------------------------- identity
variable "project" {
  description = "Project name, first part of every resource name."
  type        = string
  default     = "mycandidate"
}

variable "env" {
  description = "Environment name (staging, prod), second part of every resource name."
  type        = string
}

# ---------------------------------------------------------------- network and edge
variable "vpc_cidr" {
  description = "VPC CIDR of the environment."
  type        = string
}

variable "az_count" {
  description = "Availability zones spanned (2 or 3)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per zone."
  type        = bool
}

variable "domain_name" {
  description = "Public host name of the site."
  type        = string
}

variable "route53_zone" {
  description = "Route 53 zone of domain_name ({ zone_id = \"Z...\" }) for certificate validation and the site's alias record; null when DNS is hosted elsewhere."
  type = object({
    zone_id = string
  })
  default = null
}

variable "test_listener_cidrs" {
  description = "CIDRs allowed to reach the blue/green test listener besides the NAT gateways (which the in-VPC smoke test comes from)."
  type        = list(string)
  default     = []
}

variable "waf_rate_limit" {
  description = "API and search requests per client IP per 5 minutes before the WAF rate rule acts."
  type        = number
  default     = 10000
}

variable "waf_rate_limit_action" {
  description = "COUNT (default: measure first) or BLOCK, once the rule's metric shows the limit fits real traffic."
  type        = string
  default     = "COUNT"
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB and the database."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of every log group and of ALB access logs."
  type        = number
  default     = 365
}

# ---------------------------------------------------------------- service
variable "task_cpu" {
  description = "Fargate task CPU units."
  type        = number
}

variable "task_memory" {
  description = "Fargate task memory in MiB."
  type        = number
}

variable "web_concurrency" {
  description = "Gunicorn workers per task."
  type        = number
}

variable "autoscaling" {
  description = "Normal task count limits, which the first release applies (the service starts at zero), and target-tracking targets (requests_per_task: ALB requests per task per second)."
  type = object({
    min_capacity      = number
    max_capacity      = number
    cpu_target        = number
    requests_per_task = number
  })
}

variable "scheduled_floors" {
  description = "Election-day windows with a raised minimum task count (local times, 2026-05-29T05:00:00)."
  type = list(object({
    name         = string
    start        = string
    end          = string
    min_capacity = number
  }))
  default = []
}

variable "deployment_config_name" {
  description = "CodeDeploy traffic-shifting configuration."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

variable "max_5xx_percent" {
  description = "Share of a target group's requests answered 5xx (percent per minute) that rolls a release back."
  type        = number
  default     = 5
}

variable "max_p99_latency_seconds" {
  description = "p99 response time of a target group that rolls a release back."
  type        = number
  default     = 1.5
}

variable "min_requests_per_minute" {
  description = "Requests a target group needs in a minute before the 5xx-rate and p99 alarms judge it."
  type        = number
  default     = 20
}

# ---------------------------------------------------------------- data
variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_multi_az" {
  description = "Multi-AZ standby for the database."
  type        = bool
}

variable "db_allocated_storage_gb" {
  description = "Initial database storage."
  type        = number
  default     = 20
}

variable "db_backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 14
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "cache_node_count" {
  description = "Redis primary plus replicas."
  type        = number
}

# ---------------------------------------------------------------- delivery
variable "github_repository" {
  description = "GitHub repository (owner/name) allowed to deploy."
  type        = string
  default     = "mycandidate/mycandidate"
}

variable "github_environment" {
  description = "The GitHub environment whose jobs alone may assume the deploy role."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (true in an account of its own); false looks up the existing one."
  type        = bool
  default     = true
}

variable "image_pull_role_arns" {
  description = "Deploy roles of other accounts that may pull this environment's images (staging: prod's, for opsctl promote)."
  type        = list(string)
  default     = []
}

variable "promotion_source_repository_arns" {
  description = "Other accounts' ECR repositories this environment's deploy role pulls tested images from (prod: staging's)."
  type        = list(string)
  default     = []
}

variable "deploy_session_seconds" {
  description = "Longest deploy role session: push, migration, smoke test and the whole CodeDeploy release with its ready wait must fit."
  type        = number
  default     = 10800
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------- leave-outs
# Only infra/examples/emulator turns these off: moto cannot create them.
variable "dual_stack" {
  description = "IPv6 in the VPC's public subnets, a dual-stack ALB and AAAA records (false only where it cannot be created, e.g. the moto example: moto never reports a subnet's IPv6 block associated)."
  type        = bool
  default     = true
}

variable "create_replication_group" {
  description = "Create the ElastiCache replication group (false only where it cannot be created, e.g. the moto example: moto reports no member clusters)."
  type        = bool
  default     = true
}

variable "create_autoscaling" {
  description = "Create Application Auto Scaling (false only where it cannot be created, e.g. the moto example: moto has no tagging API for it)."
  type        = bool
  default     = true
}
