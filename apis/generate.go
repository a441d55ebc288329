// Package apis holds the provider-rowplane API types.
//
// `make generate` runs the directives below with CONTROLLER_GEN and ANGRYJET set to the pinned
// tool binaries (.ci/tools.sh); the CRDs are written to package/provider/crds.
package apis

// Remove stale CRDs first so a renamed kind does not leave its old file behind.
//go:generate rm -rf ../package/provider/crds
//go:generate $CONTROLLER_GEN object:headerFile=boilerplate.go.txt paths=./... crd:crdVersions=v1 output:artifacts:config=../package/provider/crds
//go:generate $ANGRYJET generate-methodsets --header-file=boilerplate.go.txt ./...
