using Eventuali;
using Eventuali.Sagas;
using Eventuali.Typed;

namespace SagaPatterns;

[EventType("booking.requested")]
internal sealed record BookingRequested(string BookingId, string Seat, int HoldMilliseconds);

[EventType("booking.paid")]
internal sealed record PaymentReceived(string BookingId, decimal Amount);

[EventType("booking.confirmed")]
internal sealed record BookingConfirmed(string BookingId, string Seat);

[EventType("booking.rejected")]
internal sealed record BookingRejected(string BookingId, string Reason);

[EventType("booking.expired")]
internal sealed record BookingExpired(string BookingId, string Seat);

[EventType("seat.held")]
internal sealed record SeatHeld(string Seat, string BookingId);

[EventType("seat.released")]
internal sealed record SeatReleased(string Seat, string BookingId);

internal sealed class BookingState
{
    public string Seat { get; set; } = string.Empty;
    public string Status { get; set; } = "new";
}

/// <summary>
/// Holds a seat for a booking until it is paid. A seat stream can be opened once (ExpectedVersion.NoStream), so a
/// second booking of the same seat is refused by the store and compensated by rejecting that booking; an unpaid
/// hold expires through a timeout and releases the seat.
/// </summary>
internal static class SeatBooking
{
    public const string Name = "seat-booking";

    public static SagaDefinition<BookingState> Saga() => new SagaDefinition<BookingState>(Name)
        .StartedBy<BookingRequested>(e => e.BookingId, (ctx, e) =>
        {
            (ctx.State.Seat, ctx.State.Status) = (e.Seat, "held");
            ctx.Append("seat-" + e.Seat, ExpectedVersion.NoStream, new SeatHeld(e.Seat, e.BookingId));
            ctx.Schedule("hold-expiry", TimeSpan.FromMilliseconds(e.HoldMilliseconds));
        })
        .Handles<PaymentReceived>(e => e.BookingId, (ctx, e) =>
        {
            ctx.State.Status = "confirmed";
            ctx.Cancel("hold-expiry");
            ctx.Append("booking-" + ctx.SagaId, new BookingConfirmed(ctx.SagaId, ctx.State.Seat));
            ctx.Complete();
        })
        .OnTimeout((ctx, timeout) =>
        {
            ctx.State.Status = "expired";
            ctx.Append("seat-" + ctx.State.Seat, new SeatReleased(ctx.State.Seat, ctx.SagaId));
            ctx.Append("booking-" + ctx.SagaId, new BookingExpired(ctx.SagaId, ctx.State.Seat));
            ctx.Complete();
        })
        .OnAppendFailed((ctx, failure) =>
        {
            ctx.State.Status = "rejected";
            ctx.Cancel("hold-expiry");
            ctx.Append("booking-" + ctx.SagaId, new BookingRejected(ctx.SagaId, $"seat {ctx.State.Seat} is taken ({failure.Error.GetType().Name} on {failure.StreamId})"));
            ctx.Complete();
        });
}
