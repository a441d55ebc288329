// Package mysql reads a Hub's table from MySQL or MariaDB: it keeps one pooled connection per
// connection identity, builds TLS from PEM material, validates and quotes identifiers, and scans
// rows into typed Go values (NULL stays nil so callers can leave a field out).
package mysql
