import type { LanguageCode } from '@direturn/protocol';

/**
 * Built-in privacy notices, shown by the widget before the first message. `{days}` becomes the
 * retention period. Operators override them per site or for all sites (admin route or CLI);
 * languages without a built-in text fall back to English (the DTO's `language` says which one).
 */
export const DEFAULT_PRIVACY_TEXTS: Partial<Record<LanguageCode, string>> = {
  de:
    'Sie schreiben anonym. Wir fragen nicht nach Ihrem Namen und speichern Ihre IP-Adresse nicht.\n\n' +
    'Gespeichert werden nur Ihre Nachrichten und die Adresse der Seite, auf der Sie den Chat geöffnet haben (beides verschlüsselt), sowie die gewählte Sprache. Lesen können sie nur die Beraterinnen und Berater dieser Rückkehrberatung.\n\n' +
    'Wir löschen das Gespräch {days} Tage nach seinem Ende. Mit „Meine Daten löschen“ können Sie es jederzeit selbst sofort löschen.',
  en:
    'You write anonymously. We do not ask for your name and we do not store your IP address.\n\n' +
    'We store only your messages and the address of the page on which you opened the chat (both encrypted), as well as the language you chose. Only the counsellors of this return counselling service can read them.\n\n' +
    'We delete the conversation {days} days after it ends. With "Delete my data" you can delete it yourself at any time, immediately.',
  fr:
    'Vous écrivez de façon anonyme. Nous ne demandons pas votre nom et nous n’enregistrons pas votre adresse IP.\n\n' +
    'Nous enregistrons seulement vos messages et l’adresse de la page sur laquelle vous avez ouvert le chat (tous deux chiffrés), ainsi que la langue choisie. Seuls les conseillers et conseillères de ce service de conseil au retour peuvent les lire.\n\n' +
    'Nous supprimons la conversation {days} jours après sa fin. Avec « Supprimer mes données », vous pouvez la supprimer vous-même à tout moment, immédiatement.',
  tr:
    'Anonim olarak yazıyorsunuz. Adınızı sormuyoruz ve IP adresinizi kaydetmiyoruz.\n\n' +
    'Yalnızca mesajlarınızı, sohbeti açtığınız sayfanın adresini (her ikisini de şifreli olarak) ve seçtiğiniz dili kaydediyoruz. Bunları yalnızca bu geri dönüş danışmanlığının danışmanları okuyabilir.\n\n' +
    'Görüşmeyi, sona erdikten {days} gün sonra siliyoruz. „Verilerimi sil“ ile istediğiniz zaman hemen kendiniz silebilirsiniz.',
  ar:
    'أنت تكتب دون الكشف عن هويتك. لا نسألك عن اسمك ولا نحفظ عنوان IP الخاص بك.\n\n' +
    'نحفظ فقط رسائلك وعنوان الصفحة التي فتحت فيها المحادثة (وكلاهما مشفّر)، واللغة التي اخترتها. لا يستطيع قراءتها إلا مستشارو ومستشارات خدمة استشارات العودة هذه.\n\n' +
    'نحذف المحادثة بعد {days} يومًا من انتهائها. ويمكنك حذفها بنفسك فورًا في أي وقت عبر «حذف بياناتي».',
  ru:
    'Вы пишете анонимно. Мы не спрашиваем ваше имя и не сохраняем ваш IP-адрес.\n\n' +
    'Мы сохраняем только ваши сообщения и адрес страницы, на которой вы открыли чат (и то и другое — в зашифрованном виде), а также выбранный язык. Читать их могут только консультанты этой службы консультирования по возвращению.\n\n' +
    'Мы удаляем разговор через {days} дней после его окончания. С помощью «Удалить мои данные» вы можете сами удалить его в любой момент сразу.',
  uk:
    'Ви пишете анонімно. Ми не питаємо вашого імені й не зберігаємо вашу IP-адресу.\n\n' +
    'Ми зберігаємо лише ваші повідомлення та адресу сторінки, на якій ви відкрили чат (і те, й інше — зашифровано), а також обрану мову. Читати їх можуть лише консультанти цієї служби консультування щодо повернення.\n\n' +
    'Ми видаляємо розмову через {days} днів після її завершення. За допомогою «Видалити мої дані» ви можете самі видалити її будь-коли й негайно.',
  fa:
    'شما به‌صورت ناشناس می‌نویسید. ما نام شما را نمی‌پرسیم و نشانی IP شما را ذخیره نمی‌کنیم.\n\n' +
    'ما فقط پیام‌های شما، نشانی صفحه‌ای که گفتگو را در آن باز کرده‌اید (هر دو به‌صورت رمزگذاری‌شده) و زبانی را که انتخاب کرده‌اید ذخیره می‌کنیم. فقط مشاوران این خدمت مشاورهٔ بازگشت می‌توانند آن‌ها را بخوانند.\n\n' +
    'ما گفتگو را {days} روز پس از پایان آن حذف می‌کنیم. با «حذف داده‌های من» می‌توانید هر زمان خودتان آن را فوراً حذف کنید.',
  ps:
    'تاسو بې نومه لیکئ. موږ ستاسو نوم نه پوښتو او ستاسو IP پته نه ساتو.\n\n' +
    'موږ یوازې ستاسو پیغامونه، د هغې پاڼې پته چې تاسو پکې چیټ خلاص کړی (دواړه په کوډ شوې بڼه) او هغه ژبه ساتو چې تاسو غوره کړې ده. یوازې د دې د بېرته ستنېدو د مشورې خدمت مشاورین یې لوستلی شي.\n\n' +
    'موږ خبرې اترې د پای ته رسېدو څخه {days} ورځې وروسته ړنګوو. د «زما معلومات ړنګ کړئ» په مرسته تاسو کولی شئ هر وخت یې پخپله سمدستي ړنګې کړئ.',
  ku:
    'Tu bênav dinivîsî. Em navê te napirsin û navnîşana IP ya te tomar nakin.\n\n' +
    'Em tenê peyamên te, navnîşana rûpela ku te çet lê vekiriye (herdu jî şîfrekirî) û zimanê ku te hilbijartiye tomar dikin. Tenê şêwirmendên vê xizmeta şêwirmendiya vegerê dikarin wan bixwînin.\n\n' +
    'Em axaftinê {days} roj piştî dawiya wê jê dibin. Bi «Daneyên min jê bibe» tu dikarî kengê bixwazî wê bi xwe yekser jê bibî.',
  sq:
    'Ju shkruani në mënyrë anonime. Nuk ju pyesim për emrin dhe nuk e ruajmë adresën tuaj IP.\n\n' +
    'Ruajmë vetëm mesazhet tuaja dhe adresën e faqes ku e keni hapur bisedën (të dyja të enkriptuara), si dhe gjuhën që keni zgjedhur. Vetëm këshilluesit e këtij shërbimi të këshillimit për kthimin mund t’i lexojnë.\n\n' +
    'E fshijmë bisedën {days} ditë pasi të ketë përfunduar. Me «Fshij të dhënat e mia» mund ta fshini vetë në çdo kohë, menjëherë.',
  sr:
    'Pišete anonimno. Ne pitamo vas za ime i ne čuvamo vašu IP adresu.\n\n' +
    'Čuvamo samo vaše poruke i adresu stranice na kojoj ste otvorili čet (i jedno i drugo šifrovano), kao i jezik koji ste izabrali. Mogu da ih čitaju samo savetnici ove službe za savetovanje o povratku.\n\n' +
    'Razgovor brišemo {days} dana nakon njegovog završetka. Pomoću „Obriši moje podatke“ možete ga i sami obrisati u bilo kom trenutku, odmah.',
  ka:
    'თქვენ ანონიმურად წერთ. ჩვენ არ გეკითხებით სახელს და არ ვინახავთ თქვენს IP მისამართს.\n\n' +
    'ჩვენ ვინახავთ მხოლოდ თქვენს შეტყობინებებს და იმ გვერდის მისამართს, რომელზეც ჩატი გახსენით (ორივეს დაშიფრული სახით), ასევე თქვენ მიერ არჩეულ ენას. მათი წაკითხვა მხოლოდ დაბრუნების შესახებ კონსულტირების ამ სამსახურის კონსულტანტებს შეუძლიათ.\n\n' +
    'საუბარს მისი დასრულებიდან {days} დღის შემდეგ ვშლით. „ჩემი მონაცემების წაშლა“-ს საშუალებით შეგიძლიათ ის თავად წაშალოთ ნებისმიერ დროს, დაუყოვნებლივ.',
};
