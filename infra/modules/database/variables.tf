variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the database."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the RDS-managed master secret."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version; minor versions upgrade automatically."
  type        = string
  default     = "16"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage."
  type        = number
  default     = 20
}

variable "max_allocated_storage_gb" {
  description = "Ceiling for storage autoscaling."
  type        = number
  default     = 100
}

variable "multi_az" {
  description = "Keep a synchronous standby in another zone."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Protect the instance from deletion."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Database created on the instance."
  type        = string
  default     = "mycandidate"
}

variable "username" {
  description = "Master user (migrations only; the app has its own role)."
  type        = string
  default     = "mycandidate"
}
