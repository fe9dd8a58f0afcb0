output "vpc_id" {
  description = "VPC ID."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "VPC CIDR."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private app subnets (Fargate tasks), outbound through NAT."
  value       = aws_subnet.private[*].id
}

output "isolated_subnet_ids" {
  description = "Isolated data subnets (RDS, ElastiCache), no route out of the VPC."
  value       = aws_subnet.isolated[*].id
}

output "availability_zones" {
  description = "Zones the subnets span."
  value       = local.azs
}
