variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the alarm topic (its policy must let CloudWatch use it)."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each confirms by mail)."
  type        = list(string)
  default     = []
}
