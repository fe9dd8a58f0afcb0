variable "region" {
  description = "AWS region. af-south-1 (Cape Town) keeps voter data in South Africa."
  type        = string
  default     = "af-south-1"
}

variable "aws_endpoint_url" {
  description = "Send every AWS call to this URL (an emulator such as moto) with credential checks off; null for real AWS."
  type        = string
  default     = null
}

variable "emulator" {
  description = "Leave out the resources the emulator cannot create (see modules/stack)."
  type        = bool
  default     = false
}
