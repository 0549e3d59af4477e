# Installation: the library and its headers, the QML module, a CMake package (find_package(CommandKit))
# and a pkg-config file for the C++ library.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(COMMANDKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/CommandKit"
    CACHE STRING "Where the CMake package files are installed (relative to the prefix)")
# The default is Qt's layout on Debian and most Linux distributions (qtpaths6 --query QT_INSTALL_QML
# is /usr/lib/<multiarch>/qt6/qml): installed into Qt's own prefix, the module needs no import path.
set(COMMANDKIT_INSTALL_QMLDIR "${CMAKE_INSTALL_LIBDIR}/qt6/qml"
    CACHE STRING "Where the QML module's directory CommandKit is installed (relative to the prefix)")

# The C++ library and its headers, including the template bodies of detail/ and the generated version.h.
install(TARGETS CommandKit EXPORT CommandKitTargets
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/toolkit/include/commandkit
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/toolkit/include/commandkit/version.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/commandkit)
install(EXPORT CommandKitTargets
    NAMESPACE CommandKit::
    DESTINATION ${COMMANDKIT_INSTALL_CMAKEDIR})

if(COMMANDKIT_BUILD_QML)
    # The backing library beside libcommandkit (applications link it as CommandKit::Qml), the plugin and
    # the module's files (qmldir, .qmltypes for qmllint and Qt Creator, the .qml sources) in
    # <qmldir>/CommandKit. Qt 6.4 has no install command for QML modules: the files come from the
    # module's output directory.
    install(TARGETS CommandKitQml EXPORT CommandKitQmlTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
    # The interface source of CommandKit::Qml (see qml/commandkitqml_link.cpp), from the package.
    install(FILES ${PROJECT_SOURCE_DIR}/qml/commandkitqml_link.cpp DESTINATION ${COMMANDKIT_INSTALL_CMAKEDIR})
    target_sources(CommandKitQml INTERFACE
        $<INSTALL_INTERFACE:$<INSTALL_PREFIX>/${COMMANDKIT_INSTALL_CMAKEDIR}/commandkitqml_link.cpp>)
    install(EXPORT CommandKitQmlTargets
        NAMESPACE CommandKit::
        DESTINATION ${COMMANDKIT_INSTALL_CMAKEDIR})

    # The plugin finds the backing library relative to itself wherever the prefix is moved.
    if(IS_ABSOLUTE "${COMMANDKIT_INSTALL_QMLDIR}")
        set(qml_install_dir "${COMMANDKIT_INSTALL_QMLDIR}/CommandKit")
    else()
        set(qml_install_dir "${CMAKE_INSTALL_PREFIX}/${COMMANDKIT_INSTALL_QMLDIR}/CommandKit")
    endif()
    file(RELATIVE_PATH plugin_to_libdir "${qml_install_dir}" "${CMAKE_INSTALL_FULL_LIBDIR}")
    set_target_properties(CommandKitQmlplugin PROPERTIES INSTALL_RPATH "$ORIGIN/${plugin_to_libdir}")
    install(TARGETS CommandKitQmlplugin
        RUNTIME DESTINATION ${COMMANDKIT_INSTALL_QMLDIR}/CommandKit
        LIBRARY DESTINATION ${COMMANDKIT_INSTALL_QMLDIR}/CommandKit
        ARCHIVE DESTINATION ${COMMANDKIT_INSTALL_QMLDIR}/CommandKit)
    get_target_property(qml_output_dir CommandKitQml QT_QML_MODULE_OUTPUT_DIRECTORY)
    get_target_property(qml_typeinfo CommandKitQml QT_QML_MODULE_TYPEINFO)
    install(FILES
        ${qml_output_dir}/qmldir
        ${qml_output_dir}/${qml_typeinfo}
        ${PROJECT_SOURCE_DIR}/qml/CommandAction.qml
        ${PROJECT_SOURCE_DIR}/qml/CommandButton.qml
        DESTINATION ${COMMANDKIT_INSTALL_QMLDIR}/CommandKit)
endif()

# The package: CommandKitConfig.cmake, its version file (same major version compatible; 0.x: same
# minor, see below) and the targets.
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/CommandKitConfig.cmake.in
    ${PROJECT_BINARY_DIR}/CommandKitConfig.cmake
    INSTALL_DESTINATION ${COMMANDKIT_INSTALL_CMAKEDIR}
    PATH_VARS COMMANDKIT_INSTALL_QMLDIR)
# Before 1.0 a minor version may break compatibility: 0.2 satisfies a request for 0.2.x only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/CommandKitConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES
    ${PROJECT_BINARY_DIR}/CommandKitConfig.cmake
    ${PROJECT_BINARY_DIR}/CommandKitConfigVersion.cmake
    DESTINATION ${COMMANDKIT_INSTALL_CMAKEDIR})

# pkg-config for the C++ library. Qt6Core has a .pc file; QCoro has none, so its include directories and
# library are written out as found by CMake.
# The file is relocatable: its prefix is found from its own place (cmake --install --prefix works).
get_target_property(qcoro_include_dirs QCoro6::Core INTERFACE_INCLUDE_DIRECTORIES)
list(REMOVE_ITEM qcoro_include_dirs /usr/include)
file(RELATIVE_PATH COMMANDKIT_PC_PREFIX_FROM_PCFILEDIR
     "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" COMMANDKIT_PC_PREFIX_FROM_PCFILEDIR "${COMMANDKIT_PC_PREFIX_FROM_PCFILEDIR}")
list(TRANSFORM qcoro_include_dirs PREPEND "-I")
list(JOIN qcoro_include_dirs " " COMMANDKIT_PC_QCORO_CFLAGS)
configure_file(${PROJECT_SOURCE_DIR}/cmake/commandkit.pc.in ${PROJECT_BINARY_DIR}/commandkit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/commandkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
