variable "name" {
  description = "Globally unique bucket name."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for default encryption; null means SSE-S3 (required for ALB access log delivery)."
  type        = string
  default     = null
}

variable "policy_documents" {
  description = "Extra bucket policy documents (JSON) merged with the TLS-only statement, e.g. log delivery grants."
  type        = list(string)
  default     = []
}

variable "expiration_days" {
  description = "Delete current objects after this many days; null keeps them."
  type        = number
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Delete superseded object versions after this many days."
  type        = number
  default     = 90
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's server access logs; null for a bucket that is itself a log sink."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying a non-empty bucket (never for state or audit logs)."
  type        = bool
  default     = false
}
