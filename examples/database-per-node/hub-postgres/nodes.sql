-- The nodes table of the database-per-node use case on PostgreSQL: the same columns and
-- defaults as ../hub/nodes.sql, so the same Form and Composition serve both engines.
CREATE TABLE nodes (
  node_id varchar(63) PRIMARY KEY,
  is_active boolean DEFAULT true,
  db_instance_class varchar(30) DEFAULT 'db.t3.micro',
  db_storage_gb int DEFAULT 20,
  db_multi_az boolean DEFAULT false,
  plan_type varchar(20) DEFAULT 'basic'
);
