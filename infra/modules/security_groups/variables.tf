variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "vpc_id" {
  description = "VPC the groups belong to."
  type        = string
}

variable "container_port" {
  description = "Port the app container listens on."
  type        = number
}

variable "test_listener_port" {
  description = "ALB port of the blue/green test listener."
  type        = number
}

variable "test_listener_sources" {
  description = "Name => CIDR allowed to reach the test listener (the NAT gateways' /32s for the in-VPC smoke test, plus any extra); names are known at plan time, addresses may not be."
  type        = map(string)
  default     = {}
}

variable "ipv6" {
  description = "Also admit HTTPS and HTTP to the ALB over IPv6 (dual-stack ALB)."
  type        = bool
  default     = true
}
