// libFuzzer's driver, for an entry point of our own: SwiftPM names an executable's entry
// `<Module>_main` and points `main` at it, so libFuzzer's own `main` is never linked and
// `MLOpsFuzz_main` starts the driver instead. Declared only; libFuzzer
// (`-sanitize=fuzzer`) defines it, and only fuzz builds call it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
