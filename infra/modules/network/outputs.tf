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

output "public_cidr_blocks" {
  description = "CIDRs of the public subnets (where the ALB's nodes live)."
  value       = aws_subnet.public[*].cidr_block
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

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways: where the app subnets' traffic to the internet (and to the internet-facing ALB) comes from."
  value       = aws_eip.nat[*].public_ip
}

output "ipv6" {
  description = "Whether the public subnets have IPv6 (the ALB can be dual-stack)."
  value       = var.ipv6
}
