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

variable "pull_role_arns" {
  description = "Roles of other accounts that may pull (the prod deploy role copying the image staging tested); they need not exist yet."
  type        = list(string)
  default     = []
}
