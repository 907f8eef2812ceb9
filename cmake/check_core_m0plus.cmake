# ctest: build src/core/ for the Cortex-M0+ and prove it needs nothing the device lacks.
# Usage: cmake -DSOURCE_DIR=... -DBINARY_DIR=... [-DMODEL_DIR=<earshot compile output>] -P check_core_m0plus.cmake
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -DCMAKE_BUILD_TYPE=Release -DEARSHOT_WERROR=ON
          --toolchain ${SOURCE_DIR}/cmake/arm-none-eabi.cmake -DEARSHOT_MODEL_DIR=${MODEL_DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the cortex-m0plus build failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "src/core/ (or the compiled model in ${MODEL_DIR}) does not compile with arm-none-eabi-g++ -mcpu=cortex-m0plus")
endif()

set(lib ${BINARY_DIR}/src/core/libearshot_core.a)
if(MODEL_DIR)
  list(APPEND lib ${BINARY_DIR}/libearshot_compiled_model.a)
endif()
execute_process(COMMAND arm-none-eabi-nm --undefined-only ${lib} OUTPUT_VARIABLE undefined RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "arm-none-eabi-nm failed on ${lib}")
endif()
# Heap, exceptions, RTTI, static-init guards, float runtime and libm are all off limits.
foreach(pattern malloc calloc realloc free _Znwj _Znaj _ZdlPv _ZdaPv __cxa_ _Unwind _ZTI __aeabi_f __aeabi_d
                __aeabi_i2f __aeabi_i2d sin cos sqrt)
  string(REGEX MATCH "U ${pattern}[^\n]*" hit "${undefined}")
  if(hit)
    message(FATAL_ERROR "src/core/ pulls in '${hit}' on the device; the core must stay heap-, exception- and float-free")
  endif()
endforeach()

execute_process(COMMAND arm-none-eabi-readelf -A ${lib} OUTPUT_VARIABLE attrs)
if(NOT attrs MATCHES "Tag_CPU_arch: v6S-M")
  message(FATAL_ERROR "objects are not ARMv6-M (Cortex-M0+):\n${attrs}")
endif()
execute_process(COMMAND arm-none-eabi-size -t ${lib} OUTPUT_VARIABLE sizes)
message(STATUS "src/core/ for cortex-m0plus:\n${sizes}")
