variable "name" {
  description = "Alias name without the alias/ prefix, e.g. mycandidate-prod-data."
  type        = string
}

variable "description" {
  description = "What the key protects."
  type        = string
}

variable "service_principals" {
  description = "AWS service principals (e.g. cloudwatch.amazonaws.com) that may encrypt and decrypt with the key on behalf of this account."
  type        = list(string)
  default     = []
}

variable "cloudwatch_logs" {
  description = "Allow CloudWatch Logs in this region to use the key for log groups of this account."
  type        = bool
  default     = false
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion completes."
  type        = number
  default     = 30
}
