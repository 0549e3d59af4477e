# Builds and runs the consumer application of tests/consumer against CommandKit, one way or several:
#   cmake -DMODES="package;subdirectory;fetchcontent" -DCOMMANDKIT_SOURCE_DIR=<repo>
#         -DCOMMANDKIT_BUILD_DIR=<a built CommandKit build tree> -DWORK_DIR=<scratch dir>
#         [-DGENERATOR=...] [-DCXX_COMPILER=...] [-DFRESH=ON] -P run.cmake
# package:      installs COMMANDKIT_BUILD_DIR into WORK_DIR/prefix (cmake --install --prefix) and builds
#               the consumer with find_package(CommandKit 0.2 REQUIRED COMPONENTS Qml).
# subdirectory: builds the consumer with add_subdirectory(COMMANDKIT_SOURCE_DIR).
# fetchcontent: builds the consumer with FetchContent (SOURCE_DIR, no network).
# Then runs it offscreen with no QML import path in the environment, runs its qmllint target, and fails
# on any error. The consumer's build trees are kept in WORK_DIR and reused (FRESH=ON starts them over).
cmake_minimum_required(VERSION 3.21)

foreach(var MODES COMMANDKIT_SOURCE_DIR WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run.cmake: ${var} is not set")
    endif()
endforeach()
if(NOT GENERATOR)
    set(GENERATOR "Unix Makefiles")
endif()
set(consumer_source ${CMAKE_CURRENT_LIST_DIR})

function(step what)
    string(TIMESTAMP start "%s")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    string(TIMESTAMP end "%s")
    math(EXPR seconds "${end} - ${start}")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "consumer: ${what} failed (${rc})")
    endif()
    message(STATUS "consumer: ${what}: ok, ${seconds} s")
endfunction()

foreach(mode IN LISTS MODES)
    set(build ${WORK_DIR}/${mode})
    if(FRESH)
        file(REMOVE_RECURSE ${build})
    endif()
    set(args -S ${consumer_source} -B ${build} -G "${GENERATOR}" -DCONSUMER_COMMANDKIT=${mode}
             -DCOMMANDKIT_SOURCE_DIR=${COMMANDKIT_SOURCE_DIR})
    if(CXX_COMPILER)
        list(APPEND args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
    endif()

    if(mode STREQUAL "package")
        if(NOT COMMANDKIT_BUILD_DIR)
            message(FATAL_ERROR "run.cmake: package needs COMMANDKIT_BUILD_DIR")
        endif()
        set(prefix ${WORK_DIR}/prefix)
        file(REMOVE_RECURSE ${prefix})
        step("${mode}: install" ${CMAKE_COMMAND} --install ${COMMANDKIT_BUILD_DIR} --prefix ${prefix})
        list(APPEND args -DCMAKE_PREFIX_PATH=${prefix})
    endif()

    step("${mode}: configure" ${CMAKE_COMMAND} ${args})
    step("${mode}: build" ${CMAKE_COMMAND} --build ${build} --parallel 2)
    # No import path and no plugin path from the environment: the application must find CommandKit alone.
    step("${mode}: run" ${CMAKE_COMMAND} -E env --unset=QML_IMPORT_PATH --unset=QML2_IMPORT_PATH
         --unset=QT_PLUGIN_PATH --unset=LD_LIBRARY_PATH QT_QPA_PLATFORM=offscreen
         ${build}/commandkit-consumer)
    # qmllint knows CommandKit's types from the .qmltypes beside its qmldir.
    step("${mode}: qmllint" ${CMAKE_COMMAND} --build ${build} --target commandkit-consumer_qmllint)
endforeach()
