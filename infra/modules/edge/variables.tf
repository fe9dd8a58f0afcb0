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

variable "route53_zone" {
  description = "Route 53 hosted zone of domain_name ({ zone_id = \"Z...\" }): certificate validation records and the site's alias record go there; null when DNS is hosted elsewhere (add the records by hand, infra/README.md)."
  type = object({
    zone_id = string
  })
  default = null
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
  description = "API and search requests per client IP per 5 minutes before the rate rule acts (high: carrier-grade NAT puts many voters behind one IP)."
  type        = number
  default     = 10000
}

variable "waf_rate_limit_action" {
  description = "What the rate rule does past the limit: COUNT (measure first) or BLOCK."
  type        = string
  default     = "COUNT"

  validation {
    condition     = contains(["COUNT", "BLOCK"], var.waf_rate_limit_action)
    error_message = "waf_rate_limit_action is COUNT or BLOCK."
  }
}

variable "certificate_validation_timeout" {
  description = "How long an apply waits for ACM to issue the certificate (DNS records added by hand take a while)."
  type        = string
  default     = "2h"
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

variable "dual_stack" {
  description = "Serve IPv4 and IPv6 (the public subnets must have IPv6 blocks); the site gets A and AAAA alias records."
  type        = bool
  default     = true
}
