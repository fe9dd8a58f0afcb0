variable "name" {
  description = "Name prefix, <project>-<env>; used for the cluster, service and task family."
  type        = string
}

variable "image" {
  description = "Placeholder image of the Terraform-managed revisions; never pulled (the service starts at zero tasks and every release sets its own image)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "Repository the execution role may pull from."
  type        = string
}

variable "container_name" {
  description = "Name of the app container."
  type        = string
  default     = "app"
}

variable "container_port" {
  description = "Port the app container listens on."
  type        = number
  default     = 8000
}

variable "container_user" {
  description = "UID:GID the container runs as (the image's non-root user)."
  type        = string
  default     = "10001:10001"
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
}

variable "memory" {
  description = "Fargate task memory in MiB."
  type        = number
}

variable "web_concurrency" {
  description = "Gunicorn workers per task (WEB_CONCURRENCY)."
  type        = number
}

variable "environment" {
  description = "Extra plain environment variables of the app container."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Serving family: environment variable name => Secrets Manager secret (json_key picks one key of a JSON secret) injected at task start."
  type = map(object({
    arn      = string
    json_key = optional(string)
  }))
}

variable "migrate_environment" {
  description = "Migration family (<name>-migrate): plain environment variables."
  type        = map(string)
  default     = {}
}

variable "migrate_secrets" {
  description = "Migration family: environment variable name => Secrets Manager secret (json_key picks one key of a JSON secret)."
  type = map(object({
    arn      = string
    json_key = optional(string)
  }))
  default = {}
}

variable "migrate_command" {
  description = "Command of the migration family's container."
  type        = list(string)
  default     = ["opsctl", "db", "upgrade"]
}

variable "secrets_kms_key_arn" {
  description = "KMS key the secrets are encrypted with (the execution role decrypts through Secrets Manager)."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key of the log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the app log group."
  type        = number
  default     = 365
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "target_group_arn" {
  description = "Target group the first task set registers with (blue)."
  type        = string
}

variable "autoscaling" {
  description = "Normal task count limits (applied by the first release, see autoscaling.tf) and target-tracking targets. requests_per_task is ALB requests per task per second."
  type = object({
    min_capacity      = number
    max_capacity      = number
    cpu_target        = number
    requests_per_task = number
  })
}

variable "scheduled_floors" {
  description = "Windows (e.g. election days) when the minimum task count is raised; times are local (Africa/Johannesburg), format 2026-05-29T05:00:00."
  type = list(object({
    name         = string
    start        = string
    end          = string
    min_capacity = number
  }))
  default = []
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix, for the requests-per-task metric."
  type        = string
}

variable "create_autoscaling" {
  description = "Create Application Auto Scaling resources; false only for the emulator, which rejects their tags."
  type        = bool
  default     = true
}
