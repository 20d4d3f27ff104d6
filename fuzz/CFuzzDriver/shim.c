// The header declares libFuzzer's driver; this target has nothing to compile of its own.
#include "CFuzzDriver.h"
