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

variable "test_listener_cidrs" {
  description = "CIDRs allowed to reach the test listener (deploy verification); empty closes it to the internet."
  type        = list(string)
  default     = []
}
