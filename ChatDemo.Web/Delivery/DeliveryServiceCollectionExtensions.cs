namespace ChatDemo.Web.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Batch delivery over whichever <see cref="FanOut.IConnectionSender"/> the fan-out registered.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services.AddSingleton<BatchDelivery>();
}
