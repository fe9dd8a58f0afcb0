variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "repository" {
  description = "GitHub repository allowed to deploy, owner/name."
  type        = string
}

variable "environments" {
  description = "GitHub environments whose jobs may assume the role (besides the main branch)."
  type        = list(string)
}

variable "create_provider" {
  description = "Create the account's GitHub OIDC provider; false when another root already has (one per account)."
  type        = bool
  default     = true
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

variable "task_family" {
  description = "Task definition family deploys register and run (migrations)."
  type        = string
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

variable "state_bucket" {
  description = "Terraform state bucket; the deploy reads this root's outputs from it."
  type        = string
}

variable "state_key" {
  description = "Object key of this root's state."
  type        = string
}
