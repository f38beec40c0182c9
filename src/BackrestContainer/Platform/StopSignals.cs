using System.Runtime.InteropServices;

namespace BackrestContainer.Platform;

/// <summary>
/// SIGTERM and SIGINT for one-shot commands (backup, restore): as PID 1 they would otherwise be ignored until
/// `docker stop` escalates to SIGKILL; here they ask the running pgBackRest to stop cleanly instead.
/// </summary>
internal static class StopSignals
{
    public static IDisposable Interrupt(CancellationTokenSource interrupt)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }

        return new Registrations(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle), PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
    }

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
