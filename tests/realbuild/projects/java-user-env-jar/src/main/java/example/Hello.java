package example;

public class Hello {
    public static void main(String[] args) {
        System.out.println("hello from java user=" + System.getProperty("user.name") + " args=" + String.join(",", args));
    }
}
