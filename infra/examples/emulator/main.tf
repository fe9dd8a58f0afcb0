# The stack module applied to a moto server (tests/integration/test_infra_emulator.py,
# and anyone trying a change locally):
#   terraform -chdir=infra/examples/emulator apply -var endpoint_url=http://127.0.0.1:5000
# It is the production shape with what moto cannot create left out: the
# ElastiCache replication group (moto reports no member clusters, so the
# provider never sees it available), Application Auto Scaling (no tagging
# API) and IPv6 (moto never reports a subnet's IPv6 block associated);
# modules/service/tests and modules/edge/tests cover the last two with a
# mocked provider. State stays local. A Route 53 zone of its own exercises
# certificate validation and the site's alias record.
resource "aws_route53_zone" "this" {
  #checkov:skip=CKV2_AWS_38:Emulator-only zone for a test domain; DNSSEC signing needs a KMS key in us-east-1 that moto runs do not need.
  #checkov:skip=CKV2_AWS_39:Emulator-only zone for a test domain; nothing queries it, so query logs would stay empty.
  name          = "mycandidate.test"
  force_destroy = true
}

module "stack" {
  source = "../../modules/stack"

  env = "emulator"

  vpc_cidr            = "10.40.0.0/16"
  az_count            = 2
  single_nat_gateway  = true
  domain_name         = "emulator.mycandidate.test"
  route53_zone        = { zone_id = aws_route53_zone.this.zone_id }
  test_listener_cidrs = ["198.51.100.0/24"]
  deletion_protection = true

  task_cpu        = 256
  task_memory     = 512
  web_concurrency = 1
  autoscaling = {
    min_capacity      = 2
    max_capacity      = 6
    cpu_target        = 60
    requests_per_task = 25
  }

  db_instance_class = "db.t4g.micro"
  db_multi_az       = false
  cache_node_type   = "cache.t4g.micro"
  cache_node_count  = 1

  github_environment       = "staging"
  image_pull_role_arns     = ["arn:aws:iam::210987654321:role/mycandidate-prod-github-deploy"]
  dual_stack               = false
  create_replication_group = false
  create_autoscaling       = false
}
