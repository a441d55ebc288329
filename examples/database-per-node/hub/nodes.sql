-- The nodes table of the database-per-node use case (Lynq docs), one row per tenant.
CREATE TABLE nodes (
  node_id VARCHAR(63) PRIMARY KEY,
  is_active BOOLEAN DEFAULT TRUE,
  db_instance_class VARCHAR(30) DEFAULT 'db.t3.micro',
  db_storage_gb INT DEFAULT 20,
  db_multi_az BOOLEAN DEFAULT FALSE,
  plan_type VARCHAR(20) DEFAULT 'basic'
);
