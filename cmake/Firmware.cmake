# Host build: compile the firmware model with `earshot compile`, cross-build the RP2040 app in
# <build>/firmware/build, then stamp boot2's CRC and write the UF2 with `earshot uf2`.
set(EARSHOT_FIRMWARE_MODEL ${PROJECT_SOURCE_DIR}/models/fire_alarm.tflite CACHE FILEPATH "int8 .tflite the firmware runs")
set(EARSHOT_BOARD pico CACHE STRING "Board: pico or sparkfun_micromod")
set(FW_DIR ${CMAKE_BINARY_DIR}/firmware)
set(FW_MODEL_DIR ${FW_DIR}/model)
add_custom_command(
  OUTPUT ${FW_MODEL_DIR}/earshot_model.cpp ${FW_MODEL_DIR}/earshot_model.hpp
  COMMAND earshot compile ${EARSHOT_FIRMWARE_MODEL} -o ${FW_MODEL_DIR} --name earshot_model
  DEPENDS earshot ${EARSHOT_FIRMWARE_MODEL}
  COMMENT "earshot compile: firmware model")
file(GLOB_RECURSE fw_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/firmware/* ${PROJECT_SOURCE_DIR}/src/core/*)
add_custom_command(
  OUTPUT ${FW_DIR}/earshot_app.elf ${FW_DIR}/earshot_app.bin ${FW_DIR}/earshot_app.uf2 ${FW_DIR}/earshot_kernel_check.elf
         ${FW_DIR}/earshot_usb_mic.elf ${FW_DIR}/earshot_usb_mic.uf2
  COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${FW_DIR}/build -G Ninja --toolchain ${PROJECT_SOURCE_DIR}/cmake/arm-none-eabi.cmake
          -DCMAKE_BUILD_TYPE=Release -DEARSHOT_WERROR=ON -DEARSHOT_FIRMWARE=ON -DEARSHOT_MODEL_DIR=${FW_MODEL_DIR} -DEARSHOT_BOARD=${EARSHOT_BOARD}
  COMMAND ${CMAKE_COMMAND} --build ${FW_DIR}/build
  COMMAND ${CMAKE_COMMAND} -E copy ${FW_DIR}/build/firmware/earshot_app.elf ${FW_DIR}/earshot_app.elf
  COMMAND ${CMAKE_COMMAND} -E copy ${FW_DIR}/build/firmware/earshot_kernel_check.elf ${FW_DIR}/earshot_kernel_check.elf
  COMMAND ${CMAKE_COMMAND} -E copy ${FW_DIR}/build/firmware/earshot_usb_mic.elf ${FW_DIR}/earshot_usb_mic.elf
  COMMAND earshot uf2 ${FW_DIR}/build/firmware/earshot_usb_mic.bin -o ${FW_DIR}/earshot_usb_mic.uf2
  COMMAND earshot uf2 ${FW_DIR}/build/firmware/earshot_app.bin -o ${FW_DIR}/earshot_app.uf2 --bin ${FW_DIR}/earshot_app.bin
  DEPENDS earshot ${FW_MODEL_DIR}/earshot_model.cpp ${fw_sources}
  COMMENT "Cross-building the RP2040 firmware (${EARSHOT_BOARD})")
add_custom_target(firmware ALL DEPENDS ${FW_DIR}/earshot_app.uf2)
