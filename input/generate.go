//go:build generate

// Package input holds the input types of function-rowplane. Run `make generate` to regenerate
// the deepcopy code and the Form CRD in package/function/input.
package input

//go:generate rm -rf ../package/function/input
//go:generate sh -c "$CONTROLLER_GEN paths=./v1beta1 object crd:crdVersions=v1 output:artifacts:config=../package/function/input"
