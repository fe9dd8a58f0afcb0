variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated data subnets."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the cache."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for data at rest and for the connection secret."
  type        = string
}

variable "logs_kms_key_arn" {
  description = "KMS key for the slow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the slow log."
  type        = number
  default     = 365
}

variable "node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "node_count" {
  description = "Primary plus replicas; 2 or more turns on automatic failover and Multi-AZ."
  type        = number
  default     = 1
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "auth_token_version" {
  description = "Bump to generate a new auth token (rotated in place on the replication group and in the secret)."
  type        = number
  default     = 1
}

variable "create_replication_group" {
  description = "Create the replication group; false only for the emulator, which cannot report member clusters."
  type        = bool
  default     = true
}
