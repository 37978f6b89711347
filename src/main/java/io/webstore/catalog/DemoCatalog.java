package io.webstore.catalog;

import io.webstore.platform.money.Amount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The demo data, generated deterministically (a fixed seed over word lists), so every run and every instance
 * produces the same SKUs with the same content: 12 categories of 44 products, {@value #FLASH_SKU}, 20 stores and one
 * flash sale.
 */
final class DemoCatalog {

  static final String FLASH_SKU = "SKU-FLASH-1";
  static final String FLASH_SALE_ID = "demo-flash-1";
  static final int PER_CATEGORY = 44;
  private static final long SEED = 20_240_501L;
  private static final String REVISION = "demo0001";

  /** A demo product and the stock it starts with. */
  record Item(Product product, int stock) {}

  private record Category(String id, String code, List<String> nouns) {}

  private static final List<Category> CATEGORIES = List.of(
      new Category("electronics", "ELE", List.of("Headphones", "Speaker", "Charger", "Keyboard", "Mouse", "Webcam",
          "Monitor", "Tablet Stand", "Power Bank", "Earbuds")),
      new Category("books", "BOO", List.of("Cookbook", "Novel", "Field Guide", "Atlas", "Poetry Collection",
          "Biography", "Workbook", "Travel Guide", "Comic Anthology", "Journal")),
      new Category("home-kitchen", "HOM", List.of("Blender", "Kettle", "Skillet", "Knife Set", "Cutting Board",
          "Toaster", "Coffee Grinder", "Mixing Bowl", "Dutch Oven", "Teapot")),
      new Category("garden", "GAR", List.of("Trowel", "Planter", "Hose", "Pruner", "Watering Can", "Rake",
          "Seed Kit", "Bird Feeder", "Garden Gloves", "Lantern")),
      new Category("toys", "TOY", List.of("Puzzle", "Building Set", "Plush Bear", "Kite", "Train Set",
          "Board Game", "Yo-Yo", "Robot Kit", "Doll House", "Marble Run")),
      new Category("sports", "SPO", List.of("Yoga Mat", "Water Bottle", "Jump Rope", "Dumbbell", "Tennis Racket",
          "Football", "Cycling Helmet", "Running Belt", "Resistance Band", "Climbing Chalk Bag")),
      new Category("fashion", "FAS", List.of("T-Shirt", "Scarf", "Sneakers", "Backpack", "Beanie", "Rain Jacket",
          "Wallet", "Sunglasses", "Belt", "Socks")),
      new Category("beauty", "BEA", List.of("Face Cream", "Shampoo", "Lip Balm", "Hand Soap", "Body Lotion",
          "Hair Brush", "Sunscreen", "Bath Salts", "Face Mask", "Nail Kit")),
      new Category("grocery", "GRO", List.of("Olive Oil", "Coffee Beans", "Green Tea", "Honey", "Pasta",
          "Dark Chocolate", "Granola", "Hot Sauce", "Sea Salt", "Maple Syrup")),
      new Category("automotive", "AUT", List.of("Car Charger", "Floor Mats", "Tire Gauge", "Dash Cam",
          "Seat Cushion", "Ice Scraper", "Phone Mount", "Jump Starter", "Car Wax", "Trunk Organizer")),
      new Category("office", "OFF", List.of("Notebook", "Desk Lamp", "Pen Set", "Stapler", "Desk Organizer",
          "Whiteboard", "Monitor Riser", "Paper Tray", "Sticky Notes", "Office Chair Cushion")),
      new Category("pets", "PET", List.of("Dog Leash", "Cat Tree", "Pet Bed", "Chew Toy", "Food Bowl",
          "Litter Mat", "Grooming Brush", "Bird Swing", "Aquarium Net", "Treat Pouch")));

  private static final List<String> BRANDS = List.of("Acme", "Nordwind", "Bluepine", "Larkspur", "Quillon",
      "Tidewell", "Ember & Oak", "Solstice", "Halcyon", "Copperline", "Maple Row", "Verdant");
  private static final List<String> ADJECTIVES = List.of("Classic", "Compact", "Deluxe", "Everyday", "Premium",
      "Eco", "Pro", "Travel", "Ultra", "Vintage", "Smart", "Heritage");
  private static final List<String> COLORS = List.of("black", "white", "slate", "navy", "forest green", "sand",
      "crimson", "sky blue", "charcoal", "mustard");
  private static final List<String> MATERIALS = List.of("recycled plastic", "stainless steel", "bamboo", "cotton",
      "oak", "aluminium", "glass", "silicone", "wool", "ceramic");
  private static final List<String> PRAISE = List.of("Built to last.", "A customer favourite.",
      "Thoughtfully designed for daily use.", "Makes a great gift.", "Easy to clean and store.",
      "Backed by a two-year warranty.");

  private DemoCatalog() {}

  /** Every demo product, in a fixed order, with its starting stock. */
  static List<Item> products(Instant now) {
    Random random = new Random(SEED);
    List<Item> items = new ArrayList<>();
    for (Category category : CATEGORIES) {
      for (int n = 1; n <= PER_CATEGORY; n++) {
        items.add(item(random, String.format(Locale.ROOT, "SKU-%s-%03d", category.code(), n), category, now));
      }
    }
    items.add(item(random, FLASH_SKU, CATEGORIES.get(0), now));
    return items;
  }

  private static Item item(Random random, String sku, Category category, Instant now) {
    String brand = pick(random, BRANDS);
    String adjective = pick(random, ADJECTIVES);
    String noun = pick(random, category.nouns());
    String color = pick(random, COLORS);
    String material = pick(random, MATERIALS);
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("brand", brand);
    attributes.put("color", color);
    attributes.put("material", material);
    attributes.put("weight_g", 50 + random.nextInt(4950));
    attributes.put("warranty_months", 12 * (1 + random.nextInt(3)));
    BigDecimal price = BigDecimal.valueOf(4 + random.nextInt(496)).add(new BigDecimal("0.99"));
    String description = "The " + adjective.toLowerCase(Locale.ROOT) + " " + noun.toLowerCase(Locale.ROOT)
        + " from " + brand + ", in " + color + " " + material + ". " + pick(random, PRAISE);
    int stock = 20 + random.nextInt(181);
    List<String> images = List.of(
        "https://images.webstore.local/products/" + sku + "/1.jpg",
        "https://images.webstore.local/products/" + sku + "/2.jpg");
    Product product = new Product(sku, brand + " " + adjective + " " + noun, description, new Amount(price, "USD"),
        category.id(), attributes, images, REVISION, now);
    return new Item(product, stock);
  }

  /** The demo flash sale on {@value #FLASH_SKU}: half price, from an hour after {@code now}, for an hour. */
  static Sale flashSale(Product flashProduct, Instant now) {
    Amount half = new Amount(flashProduct.price().value().divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP),
        flashProduct.price().currency());
    Instant starts = now.plus(Duration.ofHours(1));
    return new Sale(FLASH_SALE_ID, flashProduct.sku(), half, starts, starts.plus(Duration.ofHours(1)), 2, REVISION);
  }

  /** Twenty stores in US cities (street addresses invented). */
  static List<StoreLocation> stores() {
    Object[][] cities = {
        {"New York", "NY", "10001", 40.7506, -73.9972}, {"Los Angeles", "CA", "90012", 34.0537, -118.2428},
        {"Chicago", "IL", "60601", 41.8858, -87.6229}, {"Houston", "TX", "77002", 29.7589, -95.3677},
        {"Phoenix", "AZ", "85004", 33.4515, -112.0685}, {"Philadelphia", "PA", "19107", 39.9526, -75.1652},
        {"San Antonio", "TX", "78205", 29.4246, -98.4951}, {"San Diego", "CA", "92101", 32.7157, -117.1611},
        {"Dallas", "TX", "75201", 32.7876, -96.7994}, {"San Jose", "CA", "95113", 37.3337, -121.8907},
        {"Austin", "TX", "78701", 30.2711, -97.7437}, {"Seattle", "WA", "98101", 47.6101, -122.3344},
        {"Denver", "CO", "80202", 39.7525, -104.9995}, {"Boston", "MA", "02108", 42.3578, -71.0626},
        {"Miami", "FL", "33131", 25.7664, -80.1917}, {"Atlanta", "GA", "30303", 33.7525, -84.3915},
        {"Portland", "OR", "97204", 45.5187, -122.6781}, {"Nashville", "TN", "37203", 36.1547, -86.7849},
        {"Minneapolis", "MN", "55402", 44.9778, -93.2650}, {"Salt Lake City", "UT", "84101", 40.7596, -111.8868}};
    List<StoreLocation> stores = new ArrayList<>();
    for (int i = 0; i < cities.length; i++) {
      Object[] city = cities[i];
      stores.add(new StoreLocation(String.format(Locale.ROOT, "store-%02d", i + 1), "webstore " + city[0],
          (100 + 10 * i) + " Market Street", (String) city[0], (String) city[1], (String) city[2], "US",
          (double) city[3], (double) city[4], String.format(Locale.ROOT, "+1-555-01%02d", i + 1)));
    }
    return stores;
  }

  private static String pick(Random random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }
}
