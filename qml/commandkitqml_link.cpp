// SPDX-License-Identifier: MIT
// Compiled into each target that links CommandKit::Qml (an interface source). It references the QML
// module's backing library, so a linker that drops unused libraries (--as-needed) keeps it: loading the
// library loads its resources, which hold the module under an import path the QML engine always
// searches, and registers the module's types. That is how `import CommandKit` works without an import
// path when the module's directory is not beside the application.
void qml_register_types_CommandKit();

namespace {
#if defined(__GNUC__)
[[gnu::used]]
#endif
void (*const commandKitQmlModuleReference)() = &qml_register_types_CommandKit;
} // namespace
