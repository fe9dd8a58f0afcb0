# The only allowed paths: internet -> ALB -> app -> database / cache, and
# app -> HTTPS (AWS APIs through the endpoints or NAT). One place, so the
# whole picture is reviewable at once.

# ---------------------------------------------------------------- groups
resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached to the ALB (edge module); the stack module wires it across module boundaries, which the check does not follow.
  name        = "${var.name}-alb"
  description = "Public ALB: HTTPS and HTTP (redirect) in, app port out"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }
}

resource "aws_security_group" "app" {
  #checkov:skip=CKV2_AWS_5:Attached to the ECS service (service module); the stack module wires it across module boundaries, which the check does not follow.
  name        = "${var.name}-app"
  description = "Fargate app tasks: from the ALB only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-app" }
}

resource "aws_security_group" "database" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS instance (database module); the stack module wires it across module boundaries, which the check does not follow.
  name        = "${var.name}-database"
  description = "RDS PostgreSQL: from the app only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-database" }
}

resource "aws_security_group" "cache" {
  #checkov:skip=CKV2_AWS_5:Attached to the replication group (cache module); the stack module wires it across module boundaries, which the check does not follow.
  name        = "${var.name}-cache"
  description = "ElastiCache Redis: from the app only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-cache" }
}

# ---------------------------------------------------------------- ALB
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https_ipv6" {
  count = var.ipv6 ? 1 : 0

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet over IPv6"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_http_ipv6" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers with a redirect to HTTPS; closing it would break typed-in http:// links.
  count = var.ipv6 ? 1 : 0

  security_group_id = aws_security_group.alb.id
  description       = "HTTP over IPv6 from the internet, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers with a redirect to HTTPS; closing it would break typed-in http:// links.
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

# The smoke test runs as a one-off task in the app subnets; the ALB is
# internet-facing, so its requests arrive from the NAT gateways' addresses.
resource "aws_vpc_security_group_ingress_rule" "alb_test" {
  for_each = var.test_listener_sources

  security_group_id = aws_security_group.alb.id
  description       = "Blue/green test listener from ${each.key}"
  ip_protocol       = "tcp"
  from_port         = var.test_listener_port
  to_port           = var.test_listener_port
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the app tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.app.id
}

# ---------------------------------------------------------------- app
resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "From the ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "app_https" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to AWS APIs (ECR, Logs, Secrets Manager, S3)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "app_to_database" {
  security_group_id            = aws_security_group.app.id
  description                  = "To PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
}

resource "aws_vpc_security_group_egress_rule" "app_to_cache" {
  security_group_id            = aws_security_group.app.id
  description                  = "To Redis"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.cache.id
}

# ---------------------------------------------------------------- data
resource "aws_vpc_security_group_ingress_rule" "database_from_app" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the app"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_app" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis from the app"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.app.id
}
