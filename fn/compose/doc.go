// Package compose is function-rowplane's composing logic: one RunFunction call takes a Form
// step and the observed state, renders every included resource (render, then the lifecycle
// policies Once, ignoreFields and Retain from package policy), orders them by dependIds
// (graph), lets the rollout decide what to emit (rollout), and writes the desired state, the
// status and the pipeline context for later Form steps.
//
// Where a template becomes a resource: renderStep → renderResource → render.Renderer →
// internal/template.
package compose
