variable "name" {
  description = "Repository name."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key encrypting the images."
  type        = string
}

variable "keep_tagged_images" {
  description = "Number of tagged images kept (older releases can still be rolled back to)."
  type        = number
  default     = 50
}
