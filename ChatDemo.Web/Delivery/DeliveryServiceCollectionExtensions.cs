namespace ChatDemo.Web.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>Batch delivery over the AWS fan-out's <see cref="Chat.IConnectionSender"/> (PostToConnection).</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services.AddSingleton<BatchDelivery>();
}
