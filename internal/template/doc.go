// Package template renders rowplane's Go templates: text/template with sprig, made hermetic (no
// function reads the environment, files or the network), with Lynq's own functions, typed
// results for whole-value expressions, absent variables rendering empty, bounded work per
// resource and a bounded cache of parsed templates. function-rowplane and provider-rowplane
// both render through this package.
package template
