// IRP emulator dashboard
