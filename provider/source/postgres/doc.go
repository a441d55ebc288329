// Package postgres reads a Hub's table from PostgreSQL with the same contract as package mysql:
// one pooled connection per connection identity, TLS from PEM material, validated and quoted
// identifiers, and rows scanned into the same typed Go values (NULL stays nil). It also gives a
// cheap change probe and a LISTEN/NOTIFY listener, hints that tell a caller when to read again.
package postgres
