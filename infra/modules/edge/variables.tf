variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets the ALB lives in."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the ALB."
  type        = string
}

variable "domain_name" {
  description = "Public host name served by the ALB; the ACM certificate is issued for it."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone for DNS validation of the certificate; null when DNS is managed elsewhere (validate by hand)."
  type        = string
  default     = null
}

variable "container_port" {
  description = "Port the targets (app containers) listen on."
  type        = number
}

variable "health_check_path" {
  description = "Readiness path the target groups probe."
  type        = string
  default     = "/readyz"
}

variable "test_listener_port" {
  description = "ALB port of the blue/green test listener."
  type        = number
  default     = 8443
}

variable "deletion_protection" {
  description = "Protect the ALB from deletion."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before WAF blocks it."
  type        = number
  default     = 2000
}

variable "logs_kms_key_arn" {
  description = "KMS key for the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of WAF logs and of ALB access logs."
  type        = number
  default     = 365
}
