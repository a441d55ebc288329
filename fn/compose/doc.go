// Package compose is function-rowplane's composing logic: one RunFunction call takes a Form
// step and the observed state, renders every included resource (render, then the lifecycle
// policies Once, ignoreFields and Retain from package policy), orders them by dependIds
// (graph), lets the rollout decide what to emit (rollout), and writes the desired state, the
// status and the pipeline context for later Form steps.
//
// Where a template becomes a resource: renderStep → resourceObject → renderResource →
// render.Renderer → internal/template.
//
// What stays the same between calls is kept, so a steady-state reconcile converts and renders
// only what changed: the Form decodes once per distinct input into a plan (plan.go), a frozen
// Once object is kept whole (once.go), and an emitted object equal to an earlier one reuses
// its structpb form (pbcache.go). Each cache is bounded and confirms a hit by comparing.
package compose
