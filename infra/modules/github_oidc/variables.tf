variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "repository" {
  description = "GitHub repository allowed to deploy, owner/name."
  type        = string
}

variable "environment" {
  description = "The one GitHub environment whose jobs may assume the role (production, staging)."
  type        = string
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC provider; false looks up the one another root of the same account created (IAM allows one per URL per account)."
  type        = bool
  default     = true
}

variable "max_session_seconds" {
  description = "Longest session of the deploy role, in seconds; the workflow's role-duration-seconds may ask for up to this."
  type        = number
  default     = 10800

  validation {
    condition     = var.max_session_seconds >= 3600 && var.max_session_seconds <= 43200
    error_message = "IAM allows 3600 to 43200 seconds."
  }
}

variable "ecr_repository_arn" {
  description = "Repository the deploy pushes images to."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the service."
  type        = string
}

variable "service_name" {
  description = "ECS service deployed."
  type        = string
}

variable "task_families" {
  description = "Task definition families deploys register and run (serving and migration)."
  type        = list(string)
}

variable "pass_role_arns" {
  description = "Task and execution roles new task definitions reference."
  type        = list(string)
}

variable "codedeploy_app_name" {
  description = "CodeDeploy application."
  type        = string
}

variable "codedeploy_group_name" {
  description = "CodeDeploy deployment group."
  type        = string
}

variable "log_group_arn" {
  description = "App log group (deploys read one-off task output)."
  type        = string
}

variable "scalable_target_arn" {
  description = "Application Auto Scaling target of the service, which the first release registers at its normal range; null when there is none."
  type        = string
  default     = null
}

variable "deploy_parameter_arn" {
  description = "SSM parameter holding the deploy settings opsctl reads."
  type        = string
}

variable "promotion_source_repository_arns" {
  description = "ECR repositories of other accounts this role pulls tested images from (prod: staging's); their policy must grant it."
  type        = list(string)
  default     = []
}
