variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "cidr_block" {
  description = "VPC CIDR; split into public, private (app) and isolated (data) /20s per zone."
  type        = string
}

variable "az_count" {
  description = "Number of availability zones to span (2 or 3)."
  type        = number
  default     = 3

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3."
  }
}

variable "zone_letters" {
  description = "Zones the VPC may use, by letter, in order; the first az_count are used."
  type        = list(string)
  default     = ["a", "b", "c"]
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, staging) instead of one per zone (prod)."
  type        = bool
  default     = false
}

variable "logs_kms_key_arn" {
  description = "KMS key for the flow log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the flow log group."
  type        = number
  default     = 365
}

variable "ipv6" {
  description = "Give the VPC an Amazon-provided IPv6 /56 and the public subnets a /64 each, routed to the internet (for the dual-stack ALB)."
  type        = bool
  default     = true
}
